package io.vpccni.simcloud;

/** A minimal streaming XML writer: EC2 responses are small, fixed shapes, so no DOM is needed. */
final class Xml {
    private final StringBuilder out = new StringBuilder(512);

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml open(String name, String xmlns) {
        out.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    Xml leaf(String name, Object value) {
        if (value == null) return this;
        return open(name).text(value.toString()).close(name);
    }

    Xml text(String value) {
        out.append(escape(value));
        return this;
    }

    static String escape(String s) {
        var sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
