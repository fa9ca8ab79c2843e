#!/bin/bash
# Compares two builds of the `count` example in alternating whole runs (old, new, old, new, ...),
# so that a drifting machine moves both alike; prints each round's nanoseconds per signature and
# the median ratio new/old. Below 1: the new build is faster.
#
#   git stash && cargo build --release -p oauth1-benches --example count \
#     && cp target/release/examples/count /tmp/old_count && git stash pop
#   cargo build --release -p oauth1-benches --example count \
#     && cp target/release/examples/count /tmp/new_count
#   bash benches/ab.sh /tmp/old_count /tmp/new_count c 20000 8
#
# Arguments: old binary, new binary, input (a|b|c), signatures per run, rounds; optionally the
# path (reused|keyed|authorization|oneshot|floor|oauth1-request, default
# reused).
set -euo pipefail
old=$1 new=$2 input=$3 n=$4 rounds=$5 path=${6:-reused}
ns() {
    local s e
    s=$(date +%s%N)
    "$1" "$path" "$input" "$n" >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / n))
}
for _ in $(seq "$rounds"); do
    o=$(ns "$old")
    m=$(ns "$new")
    echo "$o $m $(awk -v a="$m" -v b="$o" 'BEGIN { printf "%.3f", a / b }')"
done | sort -k3 -n | awk '{ r[NR] = $3; print "old " $1 " ns, new " $2 " ns, new/old " $3 }
    END { print "median new/old " r[int((NR + 1) / 2)] }'
