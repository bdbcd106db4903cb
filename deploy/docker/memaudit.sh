#!/bin/sh
# `memaudit ARGS` inside the image: runs the shaded jar (JVM options come from JAVA_TOOL_OPTIONS).
# OMP_NUM_THREADS defaults to the number of cores the container may use (MXNet CPU threads).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
exec java ${MEMAUDIT_JAVA_OPTS:-} -jar /opt/memaudit/memaudit.jar "$@"
