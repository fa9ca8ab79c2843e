#!/bin/bash
# Instructions per signature under callgrind: `bash benches/count.sh <floor|reused|keyed|authorization|oneshot|fresh> <a|b|c>`
# (build first: cargo build --release -p oauth1-benches --example count)
B=${CARGO_TARGET_DIR:-$(dirname "$0")/../target}/release/examples/count
c() { valgrind --tool=callgrind --callgrind-out-file=/dev/null $B $1 $2 $3 2>&1 | grep -oP 'Collected : \K[0-9]+'; }
z=$(c $1 $2 0); m=$(c $1 $2 2000); echo "$1 $2 $(( (m - z) / 2000 ))"
