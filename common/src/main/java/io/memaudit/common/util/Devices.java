package io.memaudit.common.util;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Parses the DJL device option shared by every command: {@code auto}, {@code cpu} or {@code gpu:N}. */
public final class Devices {
    private Devices() { }

    public static Device parse(String name) {
        Engine engine = Engine.getInstance();
        if (name == null || name.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        if (name.matches("gpu:\\d+")) {
            int id = Integer.parseInt(name.substring(4));
            int gpus = engine.getGpuCount();
            if (id >= gpus) {
                throw new IllegalArgumentException("device '" + name + "': the " + engine.getEngineName()
                        + " engine sees " + gpus + " GPU(s); use auto, cpu" + (gpus > 0 ? " or gpu:0.." + (gpus - 1) : ""));
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device '" + name + "' is not one of auto, cpu, gpu:N");
    }

    /** A short description for output, e.g. "cpu (MXNet 1.9.1)". */
    public static String describe(Device device) {
        Engine e = Engine.getInstance();
        return device + " (" + e.getEngineName() + " " + e.getVersion() + ")";
    }
}
