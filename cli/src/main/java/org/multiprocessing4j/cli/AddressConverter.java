package org.multiprocessing4j.cli;

import org.multiprocessing4j.internal.conn.Address;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT}, {@code tcp:HOST:PORT} or {@code unix:PATH} for an option: core's one address parser. */
final class AddressConverter implements ITypeConverter<Address> {
    @Override
    public Address convert(String value) {
        try {
            return Address.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
