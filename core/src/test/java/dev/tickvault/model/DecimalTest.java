package dev.tickvault.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickvault.testing.RandomCases;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "61837.63000000",
                "0.00001234",
                "0",
                "0.0",
                "1",
                "-0.5",
                "123456789012345678",
                "0.000000000000000001",
                "9223372036854775807",
                "-9223372036854775808",
                "922337203.6854775807",
                "0.10000000",
                "100"
            })
    void plainDecimalsRoundTripByteForByte(String text) {
        assertThat(Decimal.parse(text).toString()).isEqualTo(text);
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        DecimalParser parser = new DecimalParser();
        long mantissa = parser.parse(ascii, 0, ascii.length);
        byte[] out = new byte[32];
        int n = DecimalFormat.write(out, 0, mantissa, parser.scale());
        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"1.5e3,1500", "1.5E-3,0.0015", "2e0,2", "+7.25,7.25", "1.0e+2,100", "12.5e-1,1.25", ".5,0.5", "5.,5"})
    void exponentsAndSignsAreExact(String text, String expected) {
        assertThat(Decimal.parse(text).toString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-",
                ".",
                "abc",
                "1.2.3",
                "1e",
                "1e+",
                "12a",
                "9223372036854775808",
                "0.0000000000000000001",
                "1e19",
                "99999999999999999999",
                "1 ",
                " 1",
                "1,5",
                "--1",
                "1e-999"
            })
    void malformedOrOutOfRangeTextIsRejected(String text) {
        assertThatThrownBy(() -> Decimal.parse(text))
                .isInstanceOf(DecimalFormatException.class)
                .hasMessageContaining("invalid decimal");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void anyMantissaAndScaleRoundTripsThroughText(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        long mantissa = RandomCases.anyLong(random);
        int scale = RandomCases.intBetween(random, 0, Decimal.MAX_SCALE);
        String text = DecimalFormat.toString(mantissa, scale);
        Decimal parsed = Decimal.parse(text);
        assertThat(parsed).isEqualTo(Decimal.of(mantissa, scale));
        assertThat(new BigDecimal(text)).isEqualTo(BigDecimal.valueOf(mantissa, scale));
        byte[] out = new byte[32];
        int n = DecimalFormat.write(out, 0, mantissa, scale);
        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.tickvault.testing.RandomCases#manySeeds")
    void compareToAgreesWithBigDecimal(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        Decimal a = decimal(random);
        Decimal b = random.nextInt(4) == 0 ? Decimal.of(a.mantissa(), a.scale()) : decimal(random);
        int expected =
                BigDecimal.valueOf(a.mantissa(), a.scale()).compareTo(BigDecimal.valueOf(b.mantissa(), b.scale()));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
    }

    private static Decimal decimal(RandomGenerator random) {
        return Decimal.of(RandomCases.anyLong(random), RandomCases.intBetween(random, 0, Decimal.MAX_SCALE));
    }
}
