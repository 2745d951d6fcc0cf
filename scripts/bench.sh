#!/usr/bin/env bash
# End-to-end benchmark of `partygraph build`: wall time, MB/s and peak RSS on generated corpora
# of 5, 50 and 500 MB (many ~2 KB articles built from ../shared/seeds by
# `cargo run --release --example gen_corpus`), for --format json and jsonl, --jobs 1 and 2.
#
#   scripts/bench.sh                 # 5, 50 and 500 MB
#   scripts/bench.sh 5 50            # chosen sizes (MB)
#   FORMATS=jsonl JOBS=2 scripts/bench.sh 500
#   DISCARD=1 scripts/bench.sh       # output to stdout > /dev/null instead of a file (-o)
#   PIN=0 JOBS=1 scripts/bench.sh 50 # pinned to CPU 0 (taskset): truly one core
#   ONEFILE=1 scripts/bench.sh 50     # also the same articles concatenated into one file
#   EVIDENCE="text span" scripts/bench.sh 50   # each run with --evidence text, then span
#
# Each corpus is also searched by the bare word-bounded search of our own gazetteer automaton
# on one thread (`examples/search_floor.rs`: read, lower-case, search; no normalization, tokens,
# rules or output), and each build's speed is given as a ratio of that floor.
#
# Corpora go to bench-corpus/<size>mb (gitignored; kept between runs, regenerated when the size
# or seed differs). Results are appended to bench-corpus/results.tsv and printed as a Markdown
# table. The page cache is warmed before each corpus so the runs measure partygraph, not the
# disk. Peak RSS is from /usr/bin/time -v (installed with apt-get when missing).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("${@:-5 50 500}")
read -r -a SIZES <<<"${SIZES[*]}"
FORMATS=${FORMATS:-"json jsonl"}
JOBS=${JOBS:-"1 2"}
EVIDENCE=${EVIDENCE:-text}
SEED=${SEED:-1}
DISCARD=${DISCARD:-}
PIN=${PIN:-}
ONEFILE=${ONEFILE:-}
pin=()
if [ -n "$PIN" ]; then pin=(taskset -c "$PIN"); fi
CORPORA=bench-corpus
RESULTS=$CORPORA/results.tsv
BIN=target/release/partygraph
GEN=target/release/examples/gen_corpus
FLOOR=target/release/examples/search_floor

if [ ! -x /usr/bin/time ]; then
    echo "bench.sh: installing GNU time (for peak RSS)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else sudo apt-get install -y time >/dev/null; fi
fi

echo "bench.sh: building (release)" >&2
cargo build --release --bin partygraph --example gen_corpus --example search_floor >&2

available=$($BIN build --help)
wanted_formats=()
for f in $FORMATS; do
    if grep -qE "^ +- $f:|\[possible values:.*\b$f\b" <<<"$available"; then
        wanted_formats+=("$f")
    else
        echo "bench.sh: --format $f is not available in this build: not measured" >&2
    fi
done

mkdir -p "$CORPORA"
header=$(printf 'date\tcommit\tsize_mb\tfiles\tbytes\tformat\tevidence\tjobs\tcpus\twall_s\tmb_per_s\tpeak_rss_mb\tuser_s\tsys_s\toutput_mb\tsearch_mb_per_s\tof_search')
if [ -f "$RESULTS" ] && [ "$(head -n 1 "$RESULTS")" != "$header" ]; then
    # Results of an older layout of columns are kept beside the new file.
    mv "$RESULTS" "$RESULTS.old"
fi
if [ ! -f "$RESULTS" ]; then
    printf '%s\n' "$header" >"$RESULTS"
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet 2>/dev/null; then commit="$commit+dirty"; fi
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
table=()

for size in "${SIZES[@]}"; do
    dir=$CORPORA/${size}mb
    want_bytes=$((size * 1000000))
    if ! grep -qx "size=$want_bytes" "$dir/corpus.info" 2>/dev/null || ! grep -qx "seed=$SEED" "$dir/corpus.info"; then
        echo "bench.sh: generating $dir" >&2
        rm -rf "$dir"
        nice "$GEN" --size "${size}MB" --seed "$SEED" --out "$dir"
    fi
    files=$(sed -n 's/^files=//p' "$dir/corpus.info")
    bytes=$(sed -n 's/^bytes=//p' "$dir/corpus.info")
    # Warm the page cache: the runs below then read from memory, as a second run would.
    find "$dir" -name '*.txt' -print0 | xargs -0 cat >/dev/null
    inputs=("$dir")
    if [ -n "$ONEFILE" ]; then
        # The same articles in one file, a blank line after each (a dump of a month of news).
        one=$CORPORA/${size}mb-one.txt
        if [ ! -f "$one" ] || [ "$one" -ot "$dir/corpus.info" ]; then
            echo "bench.sh: concatenating $dir into $one" >&2
            find "$dir" -name '*.txt' -print0 | sort -z | xargs -0 awk 'FNR == 1 {print ""} {print}' >"$one"
        fi
        cat "$one" >/dev/null
        inputs+=("$one")
    fi
    for input in "${inputs[@]}"; do
    # The floor, on the same input, in the same run.
    echo "bench.sh: $input, the bare automaton search (one thread)" >&2
    floor=$(nice "${pin[@]}" "$FLOOR" "$input" | sed -n 's/.*mb_per_s //p')
    label=$size
    n_files=$files
    if [ "$input" != "$dir" ]; then label="$size (one file)"; n_files=1; fi
    for fmt in "${wanted_formats[@]}"; do
        for ev in $EVIDENCE; do
        for j in $JOBS; do
            out=$CORPORA/out-${size}mb.$fmt
            stats=$(mktemp)
            echo "bench.sh: $label MB, --format $fmt, --evidence $ev, --jobs $j" >&2
            if [ -n "$DISCARD" ]; then
                # Not -o /dev/null: the output is written to a temporary file renamed over -o.
                nice "${pin[@]}" /usr/bin/time -v -o "$stats" "$BIN" build --quiet --jobs "$j" --format "$fmt" --evidence "$ev" "$input" >/dev/null
            else
                nice "${pin[@]}" /usr/bin/time -v -o "$stats" "$BIN" build --quiet --jobs "$j" --format "$fmt" --evidence "$ev" "$input" -o "$out"
            fi
            wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$stats")
            rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$stats")
            user=$(awk -F': ' '/User time/ {print $2}' "$stats")
            sys=$(awk -F': ' '/System time/ {print $2}' "$stats")
            rm -f "$stats"
            out_mb=0
            if [ -f "$out" ]; then
                out_mb=$(awk -v b="$(stat -c %s "$out")" 'BEGIN {printf "%.1f", b / 1e6}')
                rm -f "$out"
            fi
            mbps=$(awk -v b="$bytes" -v w="$wall" 'BEGIN {printf "%.1f", b / 1e6 / w}')
            rss_mb=$(awk -v k="$rss_kb" 'BEGIN {printf "%.0f", k / 1024}')
            cpus=${PIN:-all}
            ratio=$(awk -v a="$mbps" -v f="$floor" 'BEGIN {if (f > 0) printf "%.2f", a / f; else print "-"}')
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$now" "$commit" "$size" "$n_files" "$bytes" \
                "$fmt" "$ev" "$j" "$cpus" "$wall" "$mbps" "$rss_mb" "$user" "$sys" "$out_mb" "$floor" "$ratio" >>"$RESULTS"
            table+=("| $label MB | $n_files | $fmt | $ev | $j | $cpus | $wall | $mbps | $rss_mb | $user / $sys | $out_mb | $floor | $ratio |")
        done
        done
    done
    done
done

echo
echo "| corpus | files | format | evidence | jobs | CPUs | wall s | MB/s | peak RSS MB | user / sys s | output MB | search MB/s | of search |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${table[@]}"
echo
echo "(appended to $RESULTS)"
