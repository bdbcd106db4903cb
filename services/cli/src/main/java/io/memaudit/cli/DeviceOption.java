package io.memaudit.cli;

import ai.djl.Device;
import io.memaudit.common.util.Devices;
import picocli.CommandLine.Option;

/** The engine-device option shared by every command that trains or scores. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "auto|cpu|gpu:N", defaultValue = "auto", description = "auto, cpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String spec;

    /** The device the engine will use; an unknown or absent GPU fails with the value named. */
    Device parse() {
        return Devices.parse(spec);
    }
}
