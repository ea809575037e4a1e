package dev.latchkey.server.cli;

import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Flag values checked against the server's own lists, so a typo is a usage error (exit 2) before
 * any request; {@code --help} lists the values through the completion candidates.
 */
final class Choices {

    private Choices() {
    }

    static final class SigningAlgorithms extends ArrayList<String> implements ITypeConverter<SigningAlgorithm> {
        SigningAlgorithms() {
            super(Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList());
        }

        @Override
        public SigningAlgorithm convert(String value) {
            return SigningAlgorithm.parse(value).orElseThrow(() -> unknown(value, this));
        }
    }

    static final class Dialects extends ArrayList<String> implements ITypeConverter<TokenDialect> {
        Dialects() {
            super(Arrays.stream(TokenDialect.values()).map(TokenDialect::value).toList());
        }

        @Override
        public TokenDialect convert(String value) {
            return TokenDialect.parse(value).orElseThrow(() -> unknown(value, this));
        }
    }

    static final class AppTypes extends ArrayList<String> implements ITypeConverter<AppType> {
        AppTypes() {
            super(Arrays.stream(AppType.values()).map(AppType::value).toList());
        }

        @Override
        public AppType convert(String value) {
            return AppType.parse(value).orElseThrow(() -> unknown(value, this));
        }
    }

    private static TypeConversionException unknown(String value, java.util.List<String> allowed) {
        return new TypeConversionException("'" + value + "' is not one of " + String.join(", ", allowed));
    }
}
