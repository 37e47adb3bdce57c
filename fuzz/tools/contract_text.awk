# contract_text.awk - the rule text and source pages of CONTRACT.md as a C
# table, for `partyfuzz show` (fuzz/tools/show.c): a finding's picture
# names the violated rule with its text and the documentation page it
# rests on, taken from the one file that defines them.
#
# Input: core/include/partyfuzz/CONTRACT.md. Each rule is a section
#   ### C9 `client-handle-after-drop`
#   - **Rule.** <text, continued on lines indented by two spaces>
#   - **Source.** <text>
# Output (stdout): a C header with one entry per rule section,
#   { "C9", "<rule text>", "<source text>" },
# markdown kept as written (show.c renders `code` and turns page stems
# into links). The build runs it (fuzz/harness/CMakeLists.txt), so the
# picture and the document never disagree.

function flush() {
	if (id != "")
		printf "\t{ \"%s\", \"%s\", \"%s\" },\n", id, esc(rule), esc(src)
	id = ""; rule = ""; src = ""; field = ""
}

function esc(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return s
}

BEGIN {
	print "/* Generated from CONTRACT.md by fuzz/tools/contract_text.awk. */"
	print "static const struct pf_contract_text {"
	print "\tconst char *id, *rule, *source;"
	print "} pf_contract_texts[] = {"
}

/^#/ {
	flush()
	if ($0 ~ /^### [CRS][0-9]+ `/) {
		id = $2
	}
	next
}

id != "" && /^- \*\*Rule\.\*\* / {
	field = "rule"
	rule = substr($0, length("- **Rule.** ") + 1)
	next
}

id != "" && /^- \*\*Source\.\*\* / {
	field = "src"
	src = substr($0, length("- **Source.** ") + 1)
	next
}

id != "" && /^- / { field = ""; next }

id != "" && /^  [^ ]/ && field != "" {
	line = substr($0, 3)
	if (field == "rule")
		rule = rule " " line
	else
		src = src " " line
	next
}

id != "" && /^$/ { field = "" }

END {
	flush()
	print "};"
}
