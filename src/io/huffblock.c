#include "huffblock.h"

#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "huffblock.c stores its bit buffer little-endian by copying: a big-endian port swaps"
#endif

#define SYMBOLS 286      /* literals 0..255, 256: the end of the block, 257..285: lengths */
#define END_OF_BLOCK 256
#define RUN_PROBE 8      /* a run starts where this many bytes repeat the byte before them */
#define RUN_MAX 258      /* deflate's longest match */
#define BLOCK_BYTES 16384 /* a code per this many bytes: an image's statistics change line by line */
_Static_assert(BLOCK_BYTES < (1 << 23), "sort_by_count keys a count in 23 bits");
#define MAX_BITS 15      /* a literal/length code's longest */
#define CL_SYMBOLS 19    /* the code-length alphabet */
#define CL_MAX_BITS 7

/* ---- bits, least significant first (RFC 1951, 3.1.1) --------------------------------------- */

/* Bits gather in acc; flush writes all 8 bytes of it and moves on by the whole bytes held, so
 * at most 7 bits stay and up to 56 more may be added before the next flush. The bytes past
 * the held bits are scratch, overwritten later: out needs 8 bytes beyond the stream
 * (hark_huffblock_bound counts them). */
typedef struct {
    uint64_t acc;
    unsigned bits;
    uint8_t *out;
    size_t n;
} bits_out;

static inline void add(bits_out *w, uint64_t value, unsigned count)
{
    w->acc |= value << w->bits;
    w->bits += count;
}

static inline void flush(bits_out *w)
{
    memcpy(w->out + w->n, &w->acc, sizeof w->acc);
    unsigned bytes = w->bits >> 3;
    w->n += bytes;
    w->acc >>= bytes * 8; /* bits <= 63, so the shift is at most 56 */
    w->bits &= 7;
}

static inline void put(bits_out *w, uint32_t value, unsigned count) /* count <= 56 */
{
    add(w, value, count);
    flush(w);
}

/* Pad to a byte and write what is held. */
static void align(bits_out *w)
{
    flush(w);
    if (w->bits > 0)
        w->out[w->n++] = (uint8_t)w->acc;
    w->acc = 0;
    w->bits = 0;
}

/* ---- Huffman code lengths, at most max_bits -------------------------------------------------- */

/* Sorts leaf[0..n) by count, ties in symbol order: an LSD radix sort, a byte at a time, of the
 * keys count * 512 + symbol (counts stay under 2^23: a block is 16 KiB). */
static void sort_by_count(const uint32_t *count, unsigned *leaf, unsigned n)
{
    uint32_t key[SYMBOLS], tmp[SYMBOLS], all = 0;
    for (unsigned i = 0; i < n; i++)
        all |= key[i] = count[leaf[i]] << 9 | leaf[i];
    uint32_t *from = key, *to = tmp;
    for (unsigned shift = 0; shift < 32 && (all >> shift); shift += 8) {
        unsigned at[257] = {0};
        for (unsigned i = 0; i < n; i++)
            at[((from[i] >> shift) & 0xff) + 1]++;
        for (unsigned b = 1; b < 257; b++)
            at[b] += at[b - 1];
        for (unsigned i = 0; i < n; i++)
            to[at[(from[i] >> shift) & 0xff]++] = from[i];
        uint32_t *t = from;
        from = to, to = t;
    }
    for (unsigned i = 0; i < n; i++)
        leaf[i] = from[i] & 511;
}

/* Optimal code lengths for the symbols with a count (two queues over the leaves sorted by
 * count). Returns the longest. */
static unsigned huffman_lengths(const uint32_t *count, unsigned n, uint8_t *len)
{
    uint64_t weight[2 * SYMBOLS];
    int parent[2 * SYMBOLS];
    unsigned leaf[SYMBOLS], leaves = 0;
    for (unsigned s = 0; s < n; s++) {
        len[s] = 0;
        if (count[s])
            leaf[leaves++] = s;
    }
    sort_by_count(count, leaf, leaves);
    if (leaves == 1) {
        len[leaf[0]] = 1;
        return 1;
    }
    for (unsigned i = 0; i < leaves; i++) {
        weight[i] = count[leaf[i]];
        parent[i] = -1;
    }
    /* Leaves are nodes 0..leaves-1, inner nodes follow in the order they are made. */
    unsigned next_leaf = 0, next_inner = leaves, made = leaves;
    while (made < 2 * leaves - 1) {
        unsigned pick[2];
        for (int k = 0; k < 2; k++) {
            int take_leaf = next_leaf < leaves &&
                            (next_inner >= made || weight[next_leaf] <= weight[next_inner]);
            pick[k] = take_leaf ? next_leaf++ : next_inner++;
        }
        weight[made] = weight[pick[0]] + weight[pick[1]];
        parent[made] = -1;
        parent[pick[0]] = parent[pick[1]] = (int)made;
        made++;
    }
    /* Depths from the root down: an inner node's parent was made after it. */
    unsigned depth[2 * SYMBOLS], longest = 0;
    depth[made - 1] = 0;
    for (int i = (int)made - 2; i >= 0; i--)
        depth[i] = depth[parent[i]] + 1;
    for (unsigned i = 0; i < leaves; i++) {
        len[leaf[i]] = (uint8_t)depth[i];
        longest = depth[i] > longest ? depth[i] : longest;
    }
    return longest;
}

/* Lengths no longer than max_bits: counts are flattened (halved, kept above 0) until the
 * optimal code fits. The loss is a fraction of a percent, and only for skewed counts. */
static void limited_lengths(const uint32_t *count, unsigned n, unsigned max_bits, uint8_t *len)
{
    uint32_t c[SYMBOLS];
    memcpy(c, count, sizeof c[0] * n);
    while (huffman_lengths(c, n, len) > max_bits)
        for (unsigned s = 0; s < n; s++)
            c[s] = c[s] ? (c[s] >> 1) | 1 : 0;
}

/* Canonical codes (RFC 1951, 3.2.2), bit-reversed for the least-significant-first stream. */
static void canonical_codes(const uint8_t *len, unsigned n, uint16_t *code)
{
    unsigned count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1] = {0};
    for (unsigned s = 0; s < n; s++)
        count[len[s]]++;
    count[0] = 0;
    for (unsigned b = 1, c = 0; b <= MAX_BITS; b++) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (unsigned s = 0; s < n; s++) {
        if (!len[s])
            continue;
        unsigned r = next[len[s]]++; /* reversed: swap halves, bytes, nibbles, pairs, bits */
        r = ((r & 0x00ffu) << 8) | ((r >> 8) & 0x00ffu);
        r = ((r & 0x0f0fu) << 4) | ((r >> 4) & 0x0f0fu);
        r = ((r & 0x3333u) << 2) | ((r >> 2) & 0x3333u);
        r = ((r & 0x5555u) << 1) | ((r >> 1) & 0x5555u);
        code[s] = (uint16_t)(r >> (16 - len[s]));
    }
}

/* ---- the block's header: the code, itself coded (RFC 1951, 3.2.7) ------------------------------ */

typedef struct {
    uint8_t symbol[SYMBOLS + 1]; /* code-length symbols 0..18 */
    uint8_t extra[SYMBOLS + 1];  /* their repeat counts' extra bits */
    unsigned n;
} length_runs;

/* The lengths of the literal/length code and of the one distance code, as runs. */
static void run_lengths(const uint8_t *lit_len, length_runs *r)
{
    uint8_t all[SYMBOLS + 1];
    memcpy(all, lit_len, SYMBOLS);
    all[SYMBOLS] = 1; /* one distance code: distance 1, for runs */
    r->n = 0;
    for (unsigned i = 0; i <= SYMBOLS;) {
        unsigned v = all[i], run = 1;
        while (i + run <= SYMBOLS && all[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            for (; run >= 11; run -= run < 138 ? run : 138)
                r->symbol[r->n] = 18, r->extra[r->n++] = (uint8_t)((run < 138 ? run : 138) - 11);
            if (run >= 3)
                r->symbol[r->n] = 17, r->extra[r->n++] = (uint8_t)(run - 3), run = 0;
        } else {
            r->symbol[r->n] = (uint8_t)v, r->extra[r->n++] = 0, run--;
            for (; run >= 3; run -= run < 6 ? run : 6)
                r->symbol[r->n] = 16, r->extra[r->n++] = (uint8_t)((run < 6 ? run : 6) - 3);
        }
        for (; run > 0; run--)
            r->symbol[r->n] = (uint8_t)v, r->extra[r->n++] = 0;
    }
}

static void write_header(bits_out *w, const uint8_t *lit_len, int last)
{
    static const uint8_t order[CL_SYMBOLS] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                              11, 4,  12, 3, 13, 2, 14, 1, 15};
    static const uint8_t extra_bits[CL_SYMBOLS] = {[16] = 2, [17] = 3, [18] = 7};
    length_runs runs;
    run_lengths(lit_len, &runs);
    uint32_t count[CL_SYMBOLS] = {0};
    for (unsigned i = 0; i < runs.n; i++)
        count[runs.symbol[i]]++;
    unsigned used = 0;
    for (unsigned s = 0; s < CL_SYMBOLS; s++)
        used += count[s] != 0;
    if (used < 2) /* a code of one symbol is incomplete, which inflate refuses here */
        count[runs.symbol[0] == 0 ? 1 : 0] = 1;
    uint8_t cl_len[CL_SYMBOLS];
    uint16_t cl_code[CL_SYMBOLS];
    limited_lengths(count, CL_SYMBOLS, CL_MAX_BITS, cl_len);
    canonical_codes(cl_len, CL_SYMBOLS, cl_code);
    unsigned hclen = CL_SYMBOLS;
    while (hclen > 4 && cl_len[order[hclen - 1]] == 0)
        hclen--;
    put(w, last ? 1u : 0u, 1);     /* BFINAL */
    put(w, 2, 2);                  /* BTYPE: dynamic Huffman */
    put(w, SYMBOLS - 257, 5);      /* HLIT */
    put(w, 0, 5);                  /* HDIST: one distance code */
    put(w, hclen - 4, 4);          /* HCLEN */
    for (unsigned i = 0; i < hclen; i++)
        put(w, cl_len[order[i]], 3);
    for (unsigned i = 0; i < runs.n; i++) {
        unsigned s = runs.symbol[i];
        put(w, cl_code[s], cl_len[s]);
        if (extra_bits[s])
            put(w, runs.extra[i], extra_bits[s]);
    }
}

/* ---- tokens: literals, and runs of the byte before them ----------------------------------------- */

/* A run is coded as matches at distance 1 (RFC 1951, 3.2.5): length symbol, extra bits, and the
 * one distance code. The counting and the coding pass split the bytes the same way. */
typedef struct {
    uint16_t symbol;
    uint8_t extra_bits;
    uint8_t extra;
} length_code;

static length_code length_code_of(unsigned length) /* 3..258 */
{
    static const uint16_t base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const uint8_t bits[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                     2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    unsigned k = 28;
    while (base[k] > length)
        k--;
    return (length_code){(uint16_t)(257 + k), bits[k], (uint8_t)(length - base[k])};
}

/* Does a run start at i (i >= 1): the next RUN_PROBE bytes all equal in[i - 1]? */
static inline int run_starts(const uint8_t *in, size_t i, size_t n)
{
    if (i == 0 || i + RUN_PROBE > n)
        return 0;
    uint64_t word, same = 0x0101010101010101ull * in[i - 1];
    memcpy(&word, in + i, sizeof word);
    return word == same;
}

/* The run's length from i: bytes equal to in[i - 1]. */
static inline size_t run_length(const uint8_t *in, size_t i, size_t n)
{
    size_t r = RUN_PROBE;
    while (i + r < n && in[i + r] == in[i - 1])
        r++;
    return r;
}

/* Calls LITERALS(at, k) and RUN(length) in order over in[from..to): literals in
 * steps of RUN_PROBE, a run wherever run_starts. A run is cut in matches of at most RUN_MAX;
 * a remainder under 3 bytes goes as literals. */
#define FOR_EACH_TOKEN(in, from, to, LITERALS, RUN)                                                    \
    do {                                                                                          \
        size_t i_ = (from), n_ = (to);                                                            \
        while (i_ < n_) {                                                                        \
            if (run_starts((in), i_, n_)) {                                                      \
                size_t r_ = run_length((in), i_, n_);                                            \
                i_ += r_;                                                                         \
                for (; r_ >= 3; r_ -= r_ < RUN_MAX ? r_ : RUN_MAX) {                              \
                    unsigned len_ = (unsigned)(r_ < RUN_MAX ? r_ : RUN_MAX);                      \
                    RUN(len_);                                                                    \
                }                                                                                 \
                if (r_) {                                                                         \
                    const uint8_t *at_ = (in) + i_ - r_;                                          \
                    size_t k_ = r_;                                                               \
                    LITERALS(at_, k_);                                                            \
                }                                                                                 \
            } else {                                                                              \
                size_t k_ = n_ - i_ < RUN_PROBE ? n_ - i_ : RUN_PROBE;                          \
                const uint8_t *at_ = (in) + i_;                                                   \
                LITERALS(at_, k_);                                                                \
                i_ += k_;                                                                         \
            }                                                                                     \
        }                                                                                         \
    } while (0)

/* ---- the block --------------------------------------------------------------------------------- */

size_t hark_huffblock_bound(size_t n)
{
    /* every byte at the longest code; per block a header (287 code lengths of at most 7 + 7
     * bits, and 74 bits before them) and its end; the closing empty stored block */
    size_t blocks = n / BLOCK_BYTES + 1;
    return (n * MAX_BITS + 7) / 8 + blocks * (520 + 2) + 8 + 8; /* + flush's scratch */
}

static inline void count_literals(uint32_t lanes[4][256], const uint8_t *at, size_t k)
{
    if (k == RUN_PROBE) { /* the usual step, unrolled */
        uint64_t v;
        memcpy(&v, at, sizeof v);
        lanes[0][v & 0xff]++, lanes[1][(v >> 8) & 0xff]++;
        lanes[2][(v >> 16) & 0xff]++, lanes[3][(v >> 24) & 0xff]++;
        lanes[0][(v >> 32) & 0xff]++, lanes[1][(v >> 40) & 0xff]++;
        lanes[2][(v >> 48) & 0xff]++, lanes[3][v >> 56]++;
        return;
    }
    for (size_t j = 0; j < k; j++)
        lanes[j & 3][at[j]]++;
}

/* Symbol counts of in[from..to). */
static void count_symbols(const uint8_t *in, size_t from, size_t to, uint32_t *count)
{
    memset(count, 0, sizeof(uint32_t) * SYMBOLS);
    /* Four tables, so that repeated bytes do not wait on one counter's store. */
    uint32_t lanes[4][256];
    memset(lanes, 0, sizeof lanes);
#define COUNT_LITERALS(at, k) count_literals(lanes, (at), (k))
#define COUNT_RUN(len) count[length_code_of(len).symbol]++
    FOR_EACH_TOKEN(in, from, to, COUNT_LITERALS, COUNT_RUN);
#undef COUNT_LITERALS
#undef COUNT_RUN
    for (unsigned b = 0; b < 256; b++)
        count[b] += lanes[0][b] + lanes[1][b] + lanes[2][b] + lanes[3][b];
    count[END_OF_BLOCK] = 1;
}

typedef struct {
    uint8_t len[SYMBOLS];
    uint16_t code[SYMBOLS];
} huff_code;

/* Codes are at most 15 bits: three fit between flushes. */
static inline void put_literals(bits_out *w, const huff_code *h, const uint8_t *at, size_t k)
{
    size_t j = 0;
    for (; j + 3 <= k; j += 3) {
        add(w, h->code[at[j]], h->len[at[j]]);
        add(w, h->code[at[j + 1]], h->len[at[j + 1]]);
        add(w, h->code[at[j + 2]], h->len[at[j + 2]]);
        flush(w);
    }
    for (; j < k; j++)
        add(w, h->code[at[j]], h->len[at[j]]);
    flush(w);
}

static inline void put_run(bits_out *w, const huff_code *h, unsigned length)
{
    length_code c = length_code_of(length);
    uint32_t bits = h->code[c.symbol] | (uint32_t)c.extra << h->len[c.symbol];
    put(w, bits, (unsigned)h->len[c.symbol] + c.extra_bits + 1); /* + distance code 0: 1 bit */
}

/* One block of in[from..to), its code fitted to its own counts. */
static void encode_block(bits_out *w, const uint8_t *in, size_t from, size_t to, int final)
{
    uint32_t count[SYMBOLS];
    count_symbols(in, from, to, count);
    huff_code h;
    limited_lengths(count, SYMBOLS, MAX_BITS, h.len);
    canonical_codes(h.len, SYMBOLS, h.code);
    write_header(w, h.len, final);
    bits_out l = *w; /* a local: the byte stores cannot alias it, so it stays in registers */
#define PUT_LITERALS(at, k) put_literals(&l, &h, (at), (k))
#define PUT_RUN(len) put_run(&l, &h, (len))
    FOR_EACH_TOKEN(in, from, to, PUT_LITERALS, PUT_RUN);
#undef PUT_LITERALS
#undef PUT_RUN
    put(&l, h.code[END_OF_BLOCK], h.len[END_OF_BLOCK]);
    *w = l;
}

size_t hark_huffblock_encode(const uint8_t *in, size_t n, int last, uint8_t *out)
{
    bits_out w = {.out = out};
    for (size_t from = 0; from < n; from += BLOCK_BYTES) {
        size_t to = n - from > BLOCK_BYTES ? from + BLOCK_BYTES : n;
        encode_block(&w, in, from, to, last && to == n);
    }
    if (!last) { /* an empty stored block: the next block starts on a byte (Z_SYNC_FLUSH) */
        put(&w, 0, 3);
        align(&w);
        static const uint8_t empty[4] = {0x00, 0x00, 0xff, 0xff};
        memcpy(w.out + w.n, empty, 4);
        w.n += 4;
    } else {
        align(&w);
    }
    return w.n;
}
