# make help: one line per target, from the `## ` comment on the target's own line, grouped
# by the `##@ Section` lines of the Makefile and mk/*.mk (in the order make reads them).
# A target named in .PHONY without such a comment is listed at the end, so none is hidden.
#
#   awk -f tools/make_help.awk Makefile mk/*.mk
function target_line(text,    name, desc) {
    if (text !~ /## /) return
    name = text; sub(/:.*/, "", name)
    desc = text; sub(/^[^#]*## /, "", desc)
    printf "  %-26s %s\n", name, desc
    documented[name] = 1
}
function flush_phony(line,    n, i, w) {
    sub(/^\.PHONY:/, "", line)
    sub(/\\$/, "", line)
    n = split(line, w, /[ \t]+/)
    for (i = 1; i <= n; i++) if (w[i] != "") phony[w[i]] = FILENAME
}
# A target line may go on over lines ending in a backslash; its `## ` is on the last.
joining { line = line " " $0; if ($0 ~ /\\$/) next; joining = 0; target_line(line); next }
/^[A-Za-z0-9_.-]+:.*\\$/ && !/^\.PHONY/ { line = $0; joining = 1; next }
/^##@ / { sub(/^##@ /, ""); printf "\n%s\n", $0; next }
/^[A-Za-z0-9_.-]+:.*## / { target_line($0); next }
in_phony { flush_phony($0); in_phony = /\\$/; next }
/^\.PHONY:/ { flush_phony($0); in_phony = /\\$/; next }
END {
    n = 0
    for (t in phony) if (!(t in documented)) { n++; rest[n] = sprintf("  %-26s (see %s)", t, phony[t]) }
    if (n > 0) {
        printf "\nOther targets (no ## line yet)\n"
        # a plain insertion sort: POSIX awk has no asort
        for (i = 2; i <= n; i++) { v = rest[i]; j = i - 1; while (j > 0 && rest[j] > v) { rest[j + 1] = rest[j]; j-- } rest[j + 1] = v }
        for (i = 1; i <= n; i++) print rest[i]
    }
}
