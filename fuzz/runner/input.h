/*
 * input.h - how every reader of partyfuzz reads its input files: the
 * partyfuzz command, the standalone runner and the fuzz targets'
 * LLVMFuzzerInitialize under libFuzzer.
 *
 * An input is a regular file of at most PF_INPUT_MAX bytes. Anything else
 * named as an input (a directory where a file is wanted, a FIFO, a device,
 * a socket, a missing or unreadable path, a larger file) is refused with a
 * one-line reason, and nothing ever blocks: the type is checked with
 * stat() before the file is opened, and the open is O_NONBLOCK, so a FIFO
 * swapped in between cannot hang the reader either.
 *
 * A directory given where inputs are walked (the runner, libFuzzer corpus
 * directories, partyfuzz coverage) stands for every entry below it, in
 * strcmp() order of the names at each level so that order and output are
 * the same on every machine. As in libFuzzer, subdirectories whose name
 * starts with '.' are not entered; every other entry is an input, so a
 * FIFO or an oversized file inside a corpus is refused, not skipped.
 *
 * Context: process context, single-threaded (a static buffer and the
 * registered check below are global).
 */
#ifndef PARTYFUZZ_INPUT_H
#define PARTYFUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The size limit of every input file, for every reader (1 MiB). */
#define PF_INPUT_MAX (1u << 20)

/**
 * pf_input_read() - read a whole input file.
 * @path: the file.
 * @buf: receives its bytes.
 * @cap: size of @buf; a larger file is refused (pass PF_INPUT_MAX).
 * @size: receives the number of bytes read.
 * @why: receives the reason on failure, e.g. "is a FIFO, not a regular
 *       file" (without the path).
 * @whylen: size of @why.
 *
 * Context: may sleep in read(2) on a slow disk, never on a FIFO or device.
 * Return: 0, or -1 if @path is not a regular file of at most @cap bytes
 * or a read failed.
 */
int pf_input_read(const char *path, uint8_t *buf, size_t cap, size_t *size,
		  char *why, size_t whylen);

/*
 * A visitor of pf_input_walk(): @path is an input to read, or, when @err
 * is not NULL, a directory that could not be listed (or a path too long)
 * and the reason. The return value is ignored.
 */
typedef int (*pf_input_visit_fn)(const char *path, const char *err,
				 void *ctx);

/**
 * pf_input_walk() - visit the inputs a path names.
 * @path: a directory (every entry below it, see above) or anything else
 *        (visited as itself: the visitor's pf_input_read() judges it).
 * @fn: called once per input.
 * @ctx: passed to @fn.
 *
 * Context: allocates the name lists of the directories it lists.
 * Return: the number of calls to @fn (0: an empty directory).
 */
unsigned long pf_input_walk(const char *path, pf_input_visit_fn fn,
			    void *ctx);

/*
 * The check a target applies to each of its inputs before it runs (the
 * CoNDIS targets: a text program must parse): 0, or -1 with the reason in
 * @why and its 1-based line in *@line (0: no line).
 */
typedef int (*pf_input_check_fn)(const uint8_t *data, size_t size,
				 unsigned *line, char *why, size_t whylen);

/*
 * The libFuzzer flags every target runs with unless its command line sets
 * them (pf_input_init() puts them first when libFuzzer is the engine; a
 * flag given again later wins).
 *
 * -entropic_feature_frequency_threshold=1: Entropic's list of rare
 * features keeps the 100 rarest and those hit once (libFuzzer's default:
 * every feature hit at most 255 times). In clang 14's libFuzzer every
 * feature an execution hits, unless it is more frequent than the most
 * frequent rare one, is looked up in that list by a linear search
 * (InputCorpus::UpdateFeatureFrequency; LLVM 18 replaced it with a
 * bitset). A CoNDIS program hits hundreds of hit-count features, and a
 * corpus of a long campaign, loaded at once, leaves thousands of them
 * under 255 hits: 59% of the CPU time of fuzz_condis went to that search,
 * and with 16 some seeds still spent half their time there. The rarest
 * features still steer the choice of inputs, and the mutant searches find
 * their bugs in as many executions.
 */
#define PF_LIBFUZZER_DEFAULTS "-entropic_feature_frequency_threshold=1"

/**
 * pf_input_init() - check the inputs named on a fuzz target's command line.
 * @argc: LLVMFuzzerInitialize's argc; under libFuzzer, on return, it counts
 *        PF_LIBFUZZER_DEFAULTS too.
 * @argv: its argv; under libFuzzer, on return, a copy with
 *        PF_LIBFUZZER_DEFAULTS after the program's name.
 * @check: the target's check of one input, or NULL.
 *
 * Every target calls it from LLVMFuzzerInitialize. Under the standalone
 * runner (pf_input_set_standalone()) it only registers @check, which the
 * runner applies to each input as it reads it. Under libFuzzer it
 * applies, before libFuzzer reads anything, to every positional argument:
 *   - it must be a regular file or a directory; a missing one is an
 *     error unless -create_missing_dirs=1 asks libFuzzer to create it;
 *   - with -runs=0 (a replay: the _replay tests) a directory with no
 *     input below it is an error, so that a replay of nothing cannot
 *     pass; otherwise an empty directory is a fresh corpus (fuzzing into
 *     it, -merge=1 into it);
 *   - every input below is read with pf_input_read() and passed to
 *     @check.
 * Each failure prints "<target>: <path>: <reason>" (or
 * "<target>: <path>:<line>: <reason>") on stderr; if any failed, the
 * process exits 1.
 *
 * Context: process start, before the first input runs.
 */
void pf_input_init(int *argc, char ***argv, pf_input_check_fn check);

/* Called by the standalone runner before LLVMFuzzerInitialize. */
void pf_input_set_standalone(void);

/* The check registered by pf_input_init() (0 if there is none). */
int pf_input_check(const uint8_t *data, size_t size, unsigned *line,
		   char *why, size_t whylen);

#endif /* PARTYFUZZ_INPUT_H */
