#!/usr/bin/env python3
# Regenerates table-{quoted,unquoted}[-ok].yaml from the rows below (validateContainerResourceDivisor and Quantity.String).
# Run in this directory: python3 gen_tables.py; then ../oracle/record.sh.
import re
OK = "ok"
def bad(s=None): return ("bad", s)
# (divisor text, cpu verdict, memory-family verdict), as JSON strings (quoted YAML)
quoted = [
 ("1", OK, OK), ("1.0", OK, OK), ("1.000", OK, OK), ("1000m", OK, OK), (".001k", OK, OK),
 ("1000000u", OK, OK), ("1000000000n", OK, OK),
 ("1m", OK, bad("1M or 1Mi")), ("0.001", OK, bad()),
 ("1.", bad("1"), bad("1")), ("+1", bad("1"), bad("1")), ("01", bad("1"), bad("1")),
 ("001m", bad("1m"), bad()),
 ("1e0", bad("1"), bad("1")), ("1e3", bad(), bad("1k")), ("1E3", bad(), bad("1k")),
 ("1e-3", bad("1m"), bad()), ("1e+3", bad(), bad("1k")),
 ("1000", bad(), OK), ("1024", bad(), bad("1Ki")), ("1048576", bad(), bad("1Mi")),
 ("1024Ki", bad(), OK), ("1000k", bad(), OK), ("1000000", bad(), OK), ("1E", bad(), OK),
 ("0.5Ki", bad(), bad()), ("1.5", bad(), bad()),
 ("0", OK, OK), ("0m", OK, OK), ("-0", OK, OK), ("00", OK, OK), ("0.0", OK, OK),
 ("m", OK, OK), ("k", OK, OK), ("Ki", OK, OK), ("E", OK, OK), (".", OK, OK), ("+", OK, OK),
 ("-", OK, OK), ("e3", OK, OK),
 ("-1", bad(), bad()),
]
# The same rows unquoted (YAML 1.1 scalars as kubectl converts them), plus
# the second table; "-" alone cannot be written unquoted as a value.
unquoted = [
 ("1", OK, OK), ("1.0", OK, OK), ("1.000", OK, OK), ("1000m", OK, OK), (".001k", OK, OK),
 ("1000000u", OK, OK), ("1000000000n", OK, OK),
 ("1m", OK, bad("1M or 1Mi")), ("0.001", OK, bad()),
 ("1.", OK, OK), ("+1", OK, OK), ("01", OK, OK),
 ("001m", bad("1m"), bad()),
 ("1e0", OK, OK), ("1e3", bad(), OK), ("1E3", bad(), OK), ("1e-3", OK, bad()), ("1e+3", bad(), OK),
 ("1e6", bad(), OK),
 ("1000", bad(), OK), ("1024", bad(), bad("1Ki")), ("1048576", bad(), bad("1Mi")),
 ("1024Ki", bad(), OK), ("1000k", bad(), OK), ("1000000", bad(), OK), ("1E", bad(), OK),
 ("0.5Ki", bad(), bad()), ("1.5", bad(), bad()),
 ("0", OK, OK), ("0m", OK, OK), ("-0", OK, OK), ("00", OK, OK), ("0.0", OK, OK),
 ("m", OK, OK), ("k", OK, OK), ("Ki", OK, OK), ("E", OK, OK), (".", OK, OK), ("+", OK, OK),
 ("e3", OK, OK),
 ("-1", bad(), bad()), ("1e21", bad(), bad()), ("0.5", bad(), bad()),
]
families = [("cpu", "limits.cpu", "cpu", "1m or 1"),
            ("memory", "limits.memory", "memory", "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi or 1Ei")]
# ephemeral-storage and hugepages share memory's set: a sample of rows.
extra = [("requests.ephemeral-storage", "local ephemeral storage"), ("limits.hugepages-2Mi", "hugepages")]
extra_rows = {"1", "1Ki", "1m", "1024", "+1", "0", "1E", "1000"}

def render(text, quoted_):
    if quoted_:
        return '"%s"' % text
    return text

def doc(name, resource, text, quoted_, want):
    lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: %s}" % name, "spec:", "  containers:",
             "  - name: app", "    image: busybox:1.36", "    env:", "    - name: D", "      valueFrom:",
             "        resourceFieldRef:", "          resource: %s" % resource,
             "          divisor: %s # want %s" % (render(text, quoted_), want)]
    return "\n".join(lines) + "\n"

def rx(s): return re.sub(r'([\\.^$|?*+()\[\]{}])', r'\\\1', s)

def want(resource, what, allowed, text, quoted_, sugg):
    shown = '"%s"' % text if quoted_ else text
    w = "DA106 `divisor %s .*is not accepted for %s; %s divisors must be written as %s" % (rx(shown), rx(resource), rx(what), rx(allowed))
    if sugg:
        w += r" \(did you mean %s\?" % rx(sugg)
    else:
        w += "$"
    return w + "`"

def slug(t):
    return re.sub(r'[^a-z0-9]+', '-', t.lower().replace("+", "plus").replace("-", "minus").replace(".", "dot")).strip('-') or "x"

for table, rows, q in (("quoted", quoted, True), ("unquoted", unquoted, False)):
    out = ["# Divisor cases (validateContainerResourceDivisor)%s, rejected rows: one document per row and resource.\n" %
           (" (JSON strings: quoted YAML)" if q else "s, unquoted YAML (kubectl converts YAML 1.1 scalars to JSON first)")]
    ok = {}
    for text, cpu, mem in rows:
        for (fam, resource, what, allowed), verdict in zip(families, (cpu, mem)):
            if verdict == OK:
                ok.setdefault(resource, []).append(text)
                continue
            out.append(doc("%s-%s" % (fam, slug(text)), resource, text, q, want(resource, what, allowed, text, q, verdict[1])))
        if text in extra_rows:
            for resource, what in extra:
                if mem == OK:
                    ok.setdefault(resource, []).append(text)
                    continue
                out.append(doc("%s-%s" % (resource.split(".")[1].split("-")[0], slug(text)), resource, text, q,
                               want(resource, what, families[1][3], text, q, mem[1])))
    open("table-%s.yaml" % table, "w").write("---\n".join(out[:1] and [out[0] + out[1]] + out[2:]))
    okdocs = []
    for resource, texts in ok.items():
        lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: ok-%s}" % resource.replace(".", "-").lower(), "spec:",
                 "  containers:", "  - name: app", "    image: busybox:1.36", "    env:"]
        for i, t in enumerate(texts):
            lines += ["    - name: D%d" % i, "      valueFrom:", "        resourceFieldRef:",
                      "          resource: %s" % resource, "          divisor: %s" % render(t, q)]
        okdocs.append("\n".join(lines) + "\n")
    hdr = "# Divisor cases (validateContainerResourceDivisor)%s, accepted rows (one document per resource).\n" % (" (quoted)" if q else "s (unquoted)")
    open("table-%s-ok.yaml" % table, "w").write(hdr + "---\n".join(okdocs))
