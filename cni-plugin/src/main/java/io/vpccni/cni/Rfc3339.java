package io.vpccni.cni;

/** UTC timestamps without java.time, whose initialisation costs milliseconds on every plugin start. */
final class Rfc3339 {
    private Rfc3339() {
    }

    static String format(long epochMillis) {
        var days = Math.floorDiv(epochMillis, 86_400_000L);
        var msOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        var z = days + 719_468;
        var era = Math.floorDiv(z, 146_097);
        var doe = z - era * 146_097;
        var yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var day = doy - (153 * mp + 2) / 5 + 1;
        var month = mp < 10 ? mp + 3 : mp - 9;
        var year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        var sb = new StringBuilder(24);
        sb.append(year).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, msOfDay / 3_600_000, 2).append(':');
        pad(sb, msOfDay / 60_000 % 60, 2).append(':');
        pad(sb, msOfDay / 1000 % 60, 2).append('.');
        pad(sb, msOfDay % 1000, 3).append('Z');
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, long value, int width) {
        var s = Long.toString(value);
        for (var i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
