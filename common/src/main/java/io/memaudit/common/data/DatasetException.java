package io.memaudit.common.data;

/**
 * A data set could not be fetched, verified, unpacked or read. The message is meant for the user:
 * it names the file and says what is wrong and, where there is one, what to do about it.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
