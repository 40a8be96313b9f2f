#!/bin/bash
# usage: cpu.sh seconds  -> per-process CPU% over the window, by short cmdline
W=$1; declare -A before
for p in /proc/[0-9]*; do pid=${p#/proc/}; s=$(cat $p/stat 2>/dev/null) || continue; set -- ${s#*) }; before[$pid]=$(( ${12} + ${13} )); done
sleep $W
for p in /proc/[0-9]*; do pid=${p#/proc/}; s=$(cat $p/stat 2>/dev/null) || continue; set -- ${s#*) }; now=$(( ${12} + ${13} )); b=${before[$pid]:-0}; d=$(( now - b )); if [ $d -gt 10 ]; then echo "$(( d * 100 / 100 / W ))% $pid $(tr '\0' ' ' < $p/cmdline | cut -c1-110)"; fi; done | sort -rn | head -15
