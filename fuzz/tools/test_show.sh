#!/bin/sh
# test_show.sh - the structure of `partyfuzz show` pictures, not their
# pixels (ctest partyfuzz_show, label regress).
#
#   sh test_show.sh PARTYFUZZ JSON_CHECK REPO SCHED_BIN [SCHED_MUTANT]
#
# 1. the witness of planted bug B11 (PF_BUG=B11, regress/fuzz_condis/
#    witness-B11) as HTML: the lanes, every step's arrow (from, to, CPU,
#    IRQL, DDI, rule), each handle's state at every step, the marked rule
#    with its CONTRACT.md text and the report, nothing fetched;
# 2. rule-C9-stale-after-slot-reuse: two generations of slot 1 side by
#    side, the stale use marked at the C9 step;
# 3. flow-reference-races (2 CPUs): a DPC lane and an IRQL band per CPU;
#    a fuzz_wdk_style input, drawn by that target's own binary;
# 4. the B11 run as trace-event JSON: well-formed (JSON_CHECK), one track
#    per lane, its events per lane, the rule's instant event;
# 5. fuzz_table_sched: a passing corpus input (lanes per green thread,
#    every atomic step with its word and values, the history), and with
#    SCHED_MUTANT (fuzz preset: fault 7 planted) its witness, whose
#    non-linearizable operation is marked;
# 6. `partyfuzz coverage --dot/--svg`: every row an edge with its hits per
#    IRQL, the rows never taken marked; --svg without Graphviz writes the
#    DOT text (optional stays optional), with it an SVG of every row.
set -u
pf=$1 jc=$2 repo=$3 sched=$4 mutant=${5:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect WHAT GOT WANT
expect() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		echo "#   want: $3"
		echo "#   got:  $2"
		fail=1
	fi
}

# attrs FILE CLASS ATTR...: "v1 v2 ..." per element of CLASS, one a line
attrs() {
	f=$1 cls=$2
	shift 2
	grep "class=\"$cls\"" "$f" | while IFS= read -r line; do
		out=
		for a in "$@"; do
			v=$(printf '%s\n' "$line" | sed -n "s/.* $a=\"\([^\"]*\)\".*/\1/p")
			out="$out${out:+ }$v"
		done
		printf '%s\n' "$out"
	done
}

# --- 1. B11 witness, HTML -------------------------------------------------
h=$tmp/b11.html
PF_BUG=B11 "$pf" show --target=fuzz_condis -o "$h" \
	"$repo/regress/fuzz_condis/witness-B11" >"$tmp/out" 2>&1
expect "show exits 0 and names the verdict" "$?:$(cat "$tmp/out")" \
	"0:partyfuzz show: $repo/regress/fuzz_condis/witness-B11 -> $h (VERDICT: MISMATCH R3)"
expect "B11 lanes" "$(grep -o 'class="lane" data-lane="[^"]*"' "$h" |
	sed 's/.*data-lane=//' | tr -d '"' | paste -sd' ' -)" \
	"client dpc-cpu0 ndis mcm network"
expect "B11 steps: from to cpu irql fn rule" \
	"$(attrs "$h" step data-step data-from data-to data-cpu data-irql data-fn data-rule | paste -sd';' -)" \
	"17 client ndis 0 PASSIVE NdisCoCreateVc ;18 ndis mcm 0 PASSIVE ProtocolCoCreateVc ;19 client ndis 0 PASSIVE NdisClMakeCall ;20 ndis mcm 0 PASSIVE ProtocolCmMakeCall ;21 mcm ndis 0 PASSIVE NdisMCmActivateVc ;22 client ndis 0 PASSIVE NdisFreeMemory ;23 client ndis 0 PASSIVE NdisClAddParty ;24 ndis mcm 0 PASSIVE ProtocolCmAddParty ;25 client ndis 0 PASSIVE NdisFreeMemory ;26 mcm ndis 0 PASSIVE NdisMCmDispatchIncomingDropParty ;27 dpc-cpu0 client 0 DISPATCH ProtocolClIncomingDropParty ;28 client ndis 0 PASSIVE NdisClDropParty ;29 ndis mcm 0 PASSIVE ProtocolCmDropParty ;30 client ndis 0 PASSIVE NdisClDropParty R3;31 client ndis 0 PASSIVE NdisCloseAdapterEx ;32 client ndis 0 PASSIVE NdisDeregisterProtocolDriver ;33 mcm ndis 0 PASSIVE NdisMDeregisterMiniportDriver "
expect "B11 handle columns" "$(grep -o 'class="hhead" data-handle="[^"]*"' "$h" |
	sed 's/.*data-handle=//' | tr -d '"' | paste -sd' ' -)" "P0.1 P1.1 V0.1"
expect "B11 P0.1 state per step" \
	"$(attrs "$h" hcell data-handle data-step data-state data-use | awk '$1 == "P0.1" { print $2 ":" $3 ":" $4 }' | paste -sd' ' -)" \
	"17:none: 18:none: 19:MAKING: 20:MAKING:named 21:ACTIVE: 22:ACTIVE: 23:ACTIVE: 24:ACTIVE: 25:ACTIVE: 26:REMOTE_DROPPED:named 27:REMOTE_DROPPED:named 28:DROPPING:named 29:DROPPING:named 30:DROPPING:named 31:DROPPING: 32:DROPPING: 33:DROPPING:"
expect "B11 P1.1 state per step" \
	"$(attrs "$h" hcell data-handle data-step data-state | awk '$1 == "P1.1" { print $2 ":" $3 }' | paste -sd' ' -)" \
	"17:none 18:none 19:none 20:none 21:none 22:none 23:ADDING 24:ACTIVE 25:ACTIVE 26:ACTIVE 27:ACTIVE 28:ACTIVE 29:ACTIVE 30:ACTIVE 31:ACTIVE 32:ACTIVE 33:ACTIVE"
expect "B11 V0.1 state per step" \
	"$(attrs "$h" hcell data-handle data-step data-state | awk '$1 == "V0.1" { print $2 ":" $3 }' | paste -sd' ' -)" \
	"17:IDLE 18:IDLE 19:MAKING 20:MAKING 21:CONNECTED 22:CONNECTED 23:CONNECTED 24:CONNECTED 25:CONNECTED 26:CONNECTED 27:CONNECTED 28:CONNECTED 29:CONNECTED 30:CONNECTED 31:CONNECTED 32:CONNECTED 33:CONNECTED"
expect "B11 state colours" \
	"$(grep 'class="hcell" data-handle="P0.1" data-step="\(26\|28\|30\)"' "$h" | sed 's/.* fill="\([^"]*\)".*/\1/' | paste -sd' ' -)" \
	"#fdae6b #e6550d #e6550d"
expect "B11 finding: verdict, rule, step" \
	"$(grep -o '<div id="finding" data-verdict="[^"]*" data-rule="[^"]*" data-step="[^"]*"' "$h")" \
	'<div id="finding" data-verdict="MISMATCH" data-rule="R3" data-step="30"'
expect "B11 rule text from CONTRACT.md" "$(grep -o '<p class="rule-text">.*</p>' "$h")" \
	'<p class="rule-text"><b>Rule.</b> At most one teardown, a drop or a close, is in flight per party.</p>'
expect "B11 rule source" "$(grep -c '<p class="rule-source"><b>Source.</b> Not stated by any page; derived from C9 and C11. (<code>core/include/partyfuzz/CONTRACT.md</code>, section R3; catalogue: R3, B11)</p>' "$h")" 1
expect "B11 report line" "$(grep -o '<p class="report mono">[^<]*</p>' "$h")" \
	'<p class="report mono">RULE R3 (one-teardown-per-party): NdisClDropParty: drop of a party already being torn down handle=P0.1 party=DROPPING vc=CONNECTED</p>'
expect "B11 IRQL band at the DPC step" "$(attrs "$h" irql data-cpu data-step data-irql | grep '^0 27 ')" "0 27 DISPATCH"
expect "B11 network event before the incoming drop" \
	"$(grep -c '<g class="net" data-from="network" data-to="mcm">' "$h")" 1
expect "self-contained: nothing to fetch" \
	"$(grep -ciE '<(script|link|img|iframe|object|embed)[ >]|src=|@import|url\(' "$h")" 0

# --- 1b. a driver's use-after-free (B4: the context freed when the drop
# returned PENDING): ASan ends the run, the picture is still written, the
# step it died in marked. Here the drop is the wind-down's (the client's
# ProtocolClNotifyCloseAf drops the party) and its completion, delivered
# inside the call (A12), is where ASan stops.
h=$tmp/b4.html
PF_BUG=B4 "$pf" show --target=fuzz_condis -o "$h" \
	"$repo/regress/fuzz_condis/witness-B4" >"$tmp/out" 2>&1
if grep -q 'ERROR: AddressSanitizer: heap-use-after-free' "$tmp/out"; then
	expect "B4: the step ASan stopped" \
		"$(grep -o '<div id="finding" data-verdict="[^"]*" data-rule="[^"]*" data-step="[^"]*"' "$h")" \
		'<div id="finding" data-verdict="ASAN" data-rule="" data-step="33"'
	expect "B4: its last steps" \
		"$(attrs "$h" step data-step data-from data-to data-fn | tail -n 5 | paste -sd';' -)" \
		"29 mcm ndis NdisMCmNotifyCloseAddressFamily;30 ndis client ProtocolClNotifyCloseAf;31 client ndis NdisClDropParty;32 ndis mcm ProtocolCmDropParty;33 ndis client ProtocolClDropPartyComplete"
	expect "B4: the HTML is whole" "$(tail -n 1 "$h")" "</html>"
else
	echo "ok - B4 picture # SKIP not an AddressSanitizer build"
fi

# --- 2. the headline rule: a stale handle after slot reuse ---------------
h=$tmp/c9.html
"$pf" show -o "$h" "$repo/regress/scenarios/rule-C9-stale-after-slot-reuse.txt" >/dev/null 2>&1
expect "C9 handle columns (slot.gen)" "$(grep -o 'class="hhead" data-handle="[^"]*"' "$h" |
	sed 's/.*data-handle=//' | tr -d '"' | paste -sd' ' -)" "P0.1 P1.1 P1.2 V0.1"
expect "C9 step" "$(attrs "$h" step data-step data-fn data-rule | awk '$3 != ""')" "12 NdisClDropParty C9"
expect "C9 use after end at its step" \
	"$(attrs "$h" hcell data-handle data-step data-state data-use | awk '$4 != "" && $4 != "named"')" \
	"P1.1 12 dead after-end"
expect "C9 P1.1 and P1.2 at step 12" \
	"$(attrs "$h" hcell data-handle data-step data-state | awk '$2 == 12 && $1 ~ /^P1/ { print $1 ":" $3 }' | paste -sd' ' -)" \
	"P1.1:dead P1.2:ACTIVE"
expect "C9 finding" "$(grep -o '<div id="finding" data-verdict="[^"]*" data-rule="[^"]*" data-step="[^"]*"' "$h")" \
	'<div id="finding" data-verdict="RULE" data-rule="C9" data-step="12"'
expect "C9 source page linked" \
	"$(grep -c '<a class="page" href="https://learn.microsoft.com/windows-hardware/drivers/ddi/ndis/nf-ndis-ndiscldropparty"><code>nf-ndis-ndiscldropparty</code></a>' "$h")" 1

# --- 3. two CPUs -----------------------------------------------------------
h=$tmp/races.html
"$pf" show -o "$h" "$repo/regress/scenarios/flow-reference-races.txt" >/dev/null 2>&1
expect "2-CPU lanes" "$(grep -o 'class="lane" data-lane="[^"]*"' "$h" |
	sed 's/.*data-lane=//' | tr -d '"' | paste -sd' ' -)" \
	"client dpc-cpu0 dpc-cpu1 ndis cm network"
n=$(grep -c 'class="step"' "$h")
expect "2-CPU: one IRQL cell per CPU per step" \
	"$(grep -c 'class="irql" data-cpu="0"' "$h") $(grep -c 'class="irql" data-cpu="1"' "$h")" "$n $n"
expect "2-CPU: the OK verdict" "$(grep -o '<div id="finding" class="ok" data-verdict="OK"' "$h")" \
	'<div id="finding" class="ok" data-verdict="OK"'

# --- 3b. another driver fuzzer (fuzz_wdk_style: the WDK-style example
# drivers), drawn by its own binary, every step of its trace.
w=$(dirname "$(dirname "$pf")")/fuzz_wdk_style
if [ -x "$w" ]; then
	in=$repo/corpus/fuzz_wdk_style/bug-add-before-incoming-close-delivered
	h=$tmp/wdk.html
	"$pf" show --target=fuzz_wdk_style -o "$h" "$in" >/dev/null 2>&1
	expect "wdk_style: drawn as its target" \
		"$(grep -o '<div class="sub">target <code>[^<]*' "$h")" \
		'<div class="sub">target <code>fuzz_wdk_style'
	expect "wdk_style: every step of its trace" "$(grep -c 'class="step"' "$h")" \
		"$(FUZZ_VERBOSE=1 "$w" "$in" 2>/dev/null | grep -c '^#[0-9]')"
else
	echo "ok - wdk_style picture # SKIP fuzz_wdk_style not built"
fi

# --- 4. trace-event JSON ---------------------------------------------------
j=$tmp/b11.json
PF_BUG=B11 "$pf" show --target=fuzz_condis --format=trace-json -o "$j" \
	"$repo/regress/fuzz_condis/witness-B11" >/dev/null 2>&1
expect "trace-json is well-formed JSON" "$("$jc" "$j" 2>&1)" ok
expect "trace-json lane tracks" "$(grep -o '"pid":1,"tid":[0-9]*,"name":"thread_name","args":{"name":"[^"]*"' "$j" |
	sed 's/.*"name":"//; s/"$//' | paste -sd' ' -)" "client dpc-cpu0 ndis mcm network"
expect "trace-json events per lane (tid:count)" \
	"$(grep -o '"ph":"X","pid":1,"tid":[0-9]*' "$j" | sed 's/.*://' | sort -n | uniq -c | awk '{ print $2 ":" $1 }' | paste -sd' ' -)" \
	"0:9 1:1 3:7"
expect "trace-json IRQL counters" "$(grep -c '"ph":"C","pid":2,"tid":0,' "$j")" 17
expect "trace-json rule instant" "$(grep -o '"ph":"i","s":"g","pid":1,"tid":0,"ts":300,"name":"RULE R3"' "$j")" \
	'"ph":"i","s":"g","pid":1,"tid":0,"ts":300,"name":"RULE R3"'
expect "trace-json handle slices of P0.1" \
	"$(grep -o '"ph":"[be]","pid":3,"cat":"handle","id":"P0.1","ts":[0-9]*,"name":"[A-Z_]*"' "$j" | sed 's/"ph":"\(.\)".*"ts":\([0-9]*\),"name":"\([A-Z_]*\)"/\1\2\3/' | paste -sd' ' -)" \
	"b190MAKING e210MAKING b210ACTIVE e260ACTIVE b260REMOTE_DROPPED e280REMOTE_DROPPED b280DROPPING e340DROPPING"

# --- 5. fuzz_table_sched -----------------------------------------------------
in=$(ls "$repo/corpus/fuzz_table_sched" | head -n 1)
h=$tmp/sched.html
"$pf" show --target=fuzz_table_sched --bin="$sched" -o "$h" \
	"$repo/corpus/fuzz_table_sched/$in" >"$tmp/out" 2>&1
expect "sched show exits 0" "$?" 0
nthreads=$(sed -n 's/.*<div class="sub">.*, \([0-9]\) threads,.*/\1/p' "$h")
expect "sched lanes, one per green thread" \
	"$(grep -o 'class="lane" data-lane="T[0-9]"' "$h" | wc -l | tr -d ' ')" "$nthreads"
expect "sched verdict" "$(grep -o '<div id="finding" class="ok" data-verdict="OK"' "$h")" \
	'<div id="finding" class="ok" data-verdict="OK"'
FUZZ_VERBOSE=1 "$sched" "$repo/corpus/fuzz_table_sched/$in" >"$tmp/verbose" 2>&1
want=$(sed -n 's/^interleaving (\([0-9]*\) atomic steps.*/\1/p' "$tmp/verbose")
expect "sched: every atomic step drawn" "$(grep -c 'class="astep"' "$h")" "$want"
# step 3 of the verbose interleaving, to the field
v3=$(sed -n '/^interleaving/,/^history/p' "$tmp/verbose" | sed -n 's/^ *3 T\([0-9]\) \([a-z_]*\) .*/T\1 \2/p')
expect "sched step 3 thread and atomic" "$(attrs "$h" astep data-i data-thread data-op | awk '$1 == 3 { print $2, $3 }')" "$v3"
expect "sched history rows" "$(grep -c 'class="hop' "$h")" \
	"$(sed -n '/^history/,/^linearizable/p' "$tmp/verbose" | grep -c '^  #')"
j=$tmp/sched.json
"$pf" show --target=fuzz_table_sched --bin="$sched" --format=trace-json \
	-o "$j" "$repo/corpus/fuzz_table_sched/$in" >/dev/null 2>&1
expect "sched trace-json is well-formed JSON" "$("$jc" "$j" 2>&1)" ok
expect "sched trace-json: one event per atomic step" \
	"$(grep -c '^{"ph":"X","pid":1,' "$j")" "$want"
expect "sched trace-json: one track per green thread" \
	"$(grep -c '"pid":1,"tid":[0-9]*,"name":"thread_name"' "$j")" "$nthreads"
if [ -n "$mutant" ] && [ -x "$mutant" ]; then
	h=$tmp/fault7.html
	"$pf" show --target=fuzz_table_sched --bin="$mutant" -o "$h" \
		"$repo/regress/fuzz_table_sched/witness-fault7" >/dev/null 2>&1
	expect "fault7: the failure and the operation not linearizable" \
		"$(grep -o '<div id="finding" data-verdict="FAILURE" data-what="[^"]*" data-nonlin="[^"]*"' "$h")" \
		'<div id="finding" data-verdict="FAILURE" data-what="history is not linearizable" data-nonlin="4"'
	expect "fault7: history row #4 (Q) marked" \
		"$(attrs "$h" 'hop nonlin' data-op data-thread data-nonlin)" "4 Q 1"
	expect "fault7: the racing steps" \
		"$(attrs "$h" astep data-i data-thread data-op data-before data-after data-conflict | paste -sd';' -)" \
		"0 T1 load_acquire gen 1 refs 0 MAKING gen 1 refs 0 MAKING 0;1 T0 load_acquire gen 1 refs 0 MAKING gen 1 refs 0 MAKING 0;2 T1 store_release gen 1 refs 0 MAKING gen 1 refs 1 MAKING 1;3 T0 store_release gen 1 refs 1 MAKING gen 1 refs 1 MAKING 1"
else
	echo "ok - fault7 picture # SKIP no mutant binary in this build (fuzz preset)"
fi
# --- 6. the coverage graph -------------------------------------------------
# One scenario (flow-sync) leaves most rows untaken: every row must still
# be an edge, the untaken ones marked, the taken ones with their counts.
d=$tmp/cov.dot
"$pf" coverage --dot="$d" "$repo/regress/scenarios/flow-sync.txt" >"$tmp/cov.txt" 2>&1
rows=$(grep -cE '^(party|vc) ' "$tmp/cov.txt")
expect "coverage: one edge per row" "$(grep -c ' -> ' "$d") $(grep -o 'id="row_[A-Z0-9]*_[0-9]*"' "$d" | sort -u | wc -l | tr -d ' ')" "$rows $rows"
expect "coverage: rows never taken, red and dashed" \
	"$(grep -c 'NEVER", tooltip=.*color="#b30000", fontcolor="#b30000", style=dashed' "$d")" \
	"$(grep -cE '^(party|vc) .*NEVER$' "$tmp/cov.txt")"
expect "coverage: P1 hits per IRQL" "$(grep -o 'id="row_P1_0", label="[^"]*"' "$d")" \
	'id="row_P1_0", label="P1 NdisClMakeCall(PMP)\n1/-/-"'
expect "coverage: P14 never taken" "$(grep -o 'id="row_P14_14", label="[^"]*"' "$d")" \
	'id="row_P14_14", label="P14 close failed (A6)\n-/-/-  NEVER"'
# --svg: Graphviz where it is installed; else (and with dot hidden) the
# DOT text alone, which is what a machine without it gets.
mkdir -p "$tmp/nodot"
for t in sh sed awk grep cat; do ln -s "$(command -v $t)" "$tmp/nodot/$t"; done
PATH=$tmp/nodot "$pf" coverage --svg="$tmp/x.svg" \
	"$repo/regress/scenarios/flow-sync.txt" >"$tmp/nodot.txt" 2>&1
expect "coverage --svg without Graphviz: the DOT text" \
	"$?:$(test -f "$tmp/x.svg" && echo svg)$(cmp -s "$tmp/x.svg.dot" "$d" && echo same-dot)" "0:same-dot"
if command -v dot >/dev/null 2>&1; then
	"$pf" coverage --svg="$tmp/y.svg" "$repo/regress/scenarios/flow-sync.txt" >/dev/null 2>&1
	expect "coverage --svg with Graphviz: every row an edge of the SVG" \
		"$(grep -o 'id="row_[A-Z0-9]*_[0-9]*"' "$tmp/y.svg" | sort -u | wc -l | tr -d ' ')" "$rows"
else
	echo "ok - coverage --svg with Graphviz # SKIP no dot (optional)"
fi
exit $fail
