/* Target functions: none. The baseline of ci/bench.sh's exec/s figure: a
 * libFuzzer target that does nothing, built with the flags of the fuzz
 * build, so that fuzz_party_table's exec/s can be read against the
 * engine's and the sanitizers' own cost per input. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return 0;
}
