#!/bin/sh
# `memaudit ARGS` inside the image: runs the shaded jar with the image's JVM options (jvm.options:
# heap as a share of the container's memory) and any MEMAUDIT_JAVA_OPTS after them (later flags win).
# OMP_NUM_THREADS defaults to the number of cores the container may use (MXNet CPU threads).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
exec java @/opt/memaudit/jvm.options ${MEMAUDIT_JAVA_OPTS:-} -jar /opt/memaudit/memaudit.jar "$@"
