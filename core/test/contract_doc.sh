#!/bin/sh
# contract_doc.sh - keep core/include/partyfuzz/CONTRACT.md true to the code.
#
#   sh core/test/contract_doc.sh [REPO_DIR]      (default: the script's repo)
#
# The ctest `contract_doc` (label unit) runs it. It reads sources only, so it
# needs no build, and checks:
#   1. every rule of the catalogue (CN_RULE_ENTRIES, rules.h) has a section
#      "### <id> `<name>`" with the catalogue's name, and every such section
#      is a catalogue rule;
#   2. the "- **Scope.** <SCOPE>" line of each section is the catalogue's
#      scope (ENGINE, END, DRIVER, OUT);
#   3. every id C<n>, R<n>, B<n>, A<n> cited in a text file under core/,
#      fuzz/, ci/ or regress/ is defined in CONTRACT.md (a heading "### <id>"
#      or a table row "| <id> |");
#   4. the bug table: a bug has a row whose "caught by" cell is the catch
#      column of fuzz/bugs/catalogue.tsv iff it is planted there, and the
#      cell of every other bug says "out of scope";
#   5. the state tables: the rows "| P<n> | from | event | to |" and
#      "| V<n> | ... |" are exactly the rows (id, from, to) of party_rows and
#      vc_rows in core/src/condis_machine.c;
#   6. every CN_OPT_* option of condis.h is named.
# Each failure prints one line naming the id and the file (an undefined id:
# its first three places and a count); exit 1 if any.
set -u
LC_ALL=C
export LC_ALL

repo=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$repo" || exit 2
doc=core/include/partyfuzz/CONTRACT.md
rules=core/include/partyfuzz/rules.h
rows=core/src/condis_machine.c
opts=core/include/partyfuzz/condis.h
bugs=fuzz/bugs/catalogue.tsv
for f in $doc $rules $rows $opts $bugs; do
	[ -f "$f" ] || { echo "contract_doc: $f: missing"; exit 2; }
done

# Ids cited on purpose as NOT being ids, "file id" per line: the catalogue
# test checks that C29 does not parse (and this list names it).
not_ids='core/test/test_condis_rules.c C29
core/test/contract_doc.sh C29'

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "contract_doc: $*"
	fail=1
}

# The body of a multi-line C definition starting at the line matching $1,
# up to the line matching $2, on one line.
c_block() {
	sed -n "/$1/,/$2/p" "$3" | tr '\n\\' '  ' | tr -s ' \t' '  '
}

# The catalogue: "id name scope" per rule.
rule_re='X\( *([CRS][0-9]+) *, *[0-9]+ *, *"([^"]*)" *, *([A-Z]+)'
c_block '^#define CN_RULE_ENTRIES' '^$' $rules | grep -oE "$rule_re" |
	sed -E "s/$rule_re/\\1 \\2 \\3/" >$tmp/cat
[ -s $tmp/cat ] || bad "$rules: no rule found in CN_RULE_ENTRIES"

# The document's rule sections: "id name scope" (scope "-" if missing).
awk '
	function flush() { if (id != "") print id, name, scope }
	/^### [CRS][0-9]+ `[^`]*`/ {
		flush(); id = $2; name = $3; gsub(/`/, "", name); scope = "-"
		next
	}
	/^##/ { flush(); id = "" }
	id != "" && scope == "-" && /^- \*\*Scope\.\*\* / { scope = $3 }
	END { flush() }
' $doc >$tmp/doc

# 1 and 2.
while read -r id name scope; do
	line=$(grep -E "^$id " $tmp/doc)
	if [ -z "$line" ]; then
		bad "$id: $rules defines it, $doc has no section \"### $id \`$name\`\""
		continue
	fi
	set -- $line
	[ "$2" = "$name" ] ||
		bad "$id: $doc names it \`$2\`, $rules \`$name\`"
	[ "$3" = "$scope" ] ||
		bad "$id: $doc says scope $3, $rules says $scope"
done <$tmp/cat
while read -r id name scope; do
	grep -qE "^$id " $tmp/cat ||
		bad "$id: $doc has a section for it, $rules has no such rule"
done <$tmp/doc

# 3. Defined ids: headings and first table cells.
grep -oE '^#+ [ABCR][0-9]+\b|^\| [ABCR][0-9]+ \|' $doc |
	grep -oE '[ABCR][0-9]+' | sort -u >$tmp/defined
# The document's own citations go last, so a message names the code first.
for dir in core fuzz ci regress; do
	grep -rIonE '\b[ABCR][0-9]+\b' $dir
done | grep -v "^$doc:" | sort -u >$tmp/cited
grep -HonE '\b[ABCR][0-9]+\b' $doc >>$tmp/cited
echo "$not_ids" >$tmp/not_ids
awk -F: -v doc=$doc '
	FILENAME == ARGV[1] { defined[$0] = 1; next }
	FILENAME == ARGV[2] { split($0, a, " "); skip[a[1] ":" a[2]] = 1; next }
	!($3 in defined) && !(($1 ":" $3) in skip) && n[$3]++ < 3 {
		print "contract_doc: " $1 ":" $2 ": cites " $3 \
		      ", which " doc " does not define"
	}
	END {
		for (id in n)
			if (n[id] > 3)
				print "contract_doc: " id ": cited in " \
				      n[id] - 3 " more places"
	}
' $tmp/defined $tmp/not_ids $tmp/cited >$tmp/undefined
[ -s $tmp/undefined ] && { cat $tmp/undefined; fail=1; }

# 4. The bug table against the catalogue.
grep -E '^\| B[0-9]+ \|' $doc | sed 's/\\|/@PIPE@/g' |
	awk -F'|' '{
		id = $2; c = $(NF - 1)
		gsub(/[ `]/, "", id); gsub(/`/, "", c); gsub(/@PIPE@/, "|", c)
		sub(/^ +/, "", c); sub(/ +$/, "", c)
		print id "\t" c
	}' >$tmp/bugdoc
grep -E '^B[0-9]+	' $bugs | cut -f1,3 >$tmp/bugcat
while IFS='	' read -r id catch; do
	got=$(grep -E "^$id	" $tmp/bugdoc | cut -f2)
	[ "$got" = "$catch" ] ||
		bad "$id: $doc's bug table says \"$got\", $bugs catches \"$catch\""
done <$tmp/bugcat
while IFS='	' read -r id catch; do
	grep -qE "^$id	" $tmp/bugcat && continue
	case $catch in
	"out of scope"*) ;;
	*) bad "$id: $doc says \"$catch\", but $bugs does not plant it" ;;
	esac
done <$tmp/bugdoc

# 5. The state tables against condis_machine.c, as "id from to".
for t in party_rows vc_rows; do
	c_block "^static const struct cn_row $t" '^};' $rows
done >$tmp/rows_c
row_re='\{ *"([PV][0-9]+)" *, *([A-Z_]+) *, *[A-Z_]+ *, *([A-Z_]+)'
grep -oE "$row_re" $tmp/rows_c | sed -E "s/$row_re/\\1 \\2 \\3/" |
	sed -E 's/ PT_FREE / (new) /; s/ CN_VC_FREE$/ (deleted)/;
		s/ CN_VC_BACK$/ (close_from)/; s/ CN_PARTY_BACK$/ (drop_from)/;
		s/ (PT|CN_VC)_/ /g' |
	sort >$tmp/rows_code
[ -s $tmp/rows_code ] || bad "$rows: no row found in party_rows/vc_rows"
grep -E '^\| [PV][0-9]+ \|' $doc |
	awk -F'|' '{ for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i)
		     print $2, $3, $5 }' | sort >$tmp/rows_doc
comm -23 $tmp/rows_code $tmp/rows_doc >$tmp/rows_missing
comm -13 $tmp/rows_code $tmp/rows_doc >$tmp/rows_extra
while read -r id from to; do
	bad "$id: $rows has the row $from -> $to, $doc's state tables do not"
done <$tmp/rows_missing
while read -r id from to; do
	bad "$id: $doc has the row $from -> $to, $rows does not"
done <$tmp/rows_extra

# 6. The model options.
for o in $(grep -oE '^#define CN_OPT_[A-Z0-9_]+' $opts | cut -d' ' -f2); do
	grep -q "$o" $doc || bad "$o: $opts defines it, $doc does not name it"
done

[ $fail = 0 ] && echo "contract_doc: $doc agrees with the code"
exit $fail
