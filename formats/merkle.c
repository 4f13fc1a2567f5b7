/* merkle.c — RFC 9162 §2.1 Merkle tree hashes, proofs and their checks.
 *
 * Everything is iterative. Tree hashes use a stack of perfect-subtree
 * roots (one per set bit of the leaf count), so a root over n leaves costs
 * n-1 node hashes and at most 64 stacked hashes. Proof generation walks the
 * RFC's recursive definitions (PATH, SUBPROOF) top-down with a loop and
 * reverses the collected hashes at the end, because the RFC orders proofs
 * from the leaf level upwards. Verification follows the RFC 9162 §2.1.3.2
 * and §2.1.4.2 algorithms step by step; the edge cases the RFC leaves open
 * (equal sizes, size 0) follow the transparency-dev/merkle test vectors:
 *   - m > n: rejected;
 *   - m == 0: rejected, whatever the proof (no proof from the empty tree);
 *   - 0 < m == n: accepted iff the proof is empty and root1 == root2;
 *   - 0 < m < n: the proof must be non-empty and pass §2.1.4.2.
 * Every proof longer than RC_PROOF_MAX hashes is rejected before hashing. */
#include "merkle.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static const uint8_t LEAF_PREFIX = 0x00;
static const uint8_t NODE_PREFIX = 0x01;

/* Leaf hash H(0x00 || leaf). Requires leaf readable for len bytes (may be
 * NULL when len is 0) and out writable. */
void rc_merkle_leaf_hash(const uint8_t *leaf, size_t len, rc_hash out) {
  rc_sha256_2(&LEAF_PREFIX, 1, leaf, len, out);
}

/* Node hash H(0x01 || left || right). Requires three valid 32-byte
 * buffers; out may alias left or right (the inputs are copied first). */
void rc_merkle_node_hash(const rc_hash left, const rc_hash right, rc_hash out) {
  /* One 65-byte update is measurably cheaper (~10%) than three updates;
   * this is the innermost operation of every tree hash. */
  uint8_t buf[65];
  buf[0] = NODE_PREFIX;
  memcpy(buf + 1, left, 32);
  memcpy(buf + 33, right, 32);
  rc_sha256(buf, sizeof buf, out);
}

/* Constant-time equality of two hashes (1 if equal). Roots are public, but
 * the codebase compares every digest the same way. */
static int hash_eq(const rc_hash a, const rc_hash b) {
  return CRYPTO_memcmp(a, b, sizeof(rc_hash)) == 0;
}

static unsigned popcount64(uint64_t v) {
  return (unsigned)__builtin_popcountll(v);
}

/* Largest power of two strictly smaller than n; requires n >= 2. */
static uint64_t split_point(uint64_t n) {
  return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

/* ---------------------------------------------------------------------
 * Streaming tree hash.
 * Invariant: stack[0 .. popcount(count)) holds the roots of the perfect
 * subtrees that make up the first `count` leaves, largest (leftmost)
 * first; stack[i] covers 2^b leaves for the i-th highest set bit b. */

/* Empties s (count 0). Requires s non-NULL. */
void rc_merkle_stream_init(struct rc_merkle_stream *s) {
  memset(s, 0, sizeof *s);
}

/* Appends one leaf hash (leaf hashes, not leaf data). Requires s
 * initialised. O(log count) amortised O(1) node hashes. */
void rc_merkle_stream_push(struct rc_merkle_stream *s, const rc_hash leaf) {
  /* 2^64 - 1 leaves is the most a uint64_t count can describe; a further
   * push cannot be represented and is ignored (unreachable in practice). */
  if (s->count == UINT64_MAX) return;
  unsigned depth = popcount64(s->count);
  rc_hash h;
  memcpy(h, leaf, sizeof h);
  /* Each trailing 1 bit of count is a perfect subtree of the same size as
   * the one being carried: merge them, like a binary increment. */
  for (uint64_t c = s->count; c & 1; c >>= 1) {
    depth--;
    rc_merkle_node_hash(s->stack[depth], h, h);
  }
  memcpy(s->stack[depth], h, sizeof h);
  s->count++;
}

/* Writes the root of the leaves pushed so far into out (SHA-256("") when
 * none); s is unchanged, so pushing may continue. Requires s initialised. */
void rc_merkle_stream_root(const struct rc_merkle_stream *s, rc_hash out) {
  unsigned depth = popcount64(s->count);
  if (depth == 0) {
    rc_sha256(NULL, 0, out); /* MTH({}) = SHA-256("") */
    return;
  }
  /* MTH splits at the largest power of two below n, which is exactly
   * stack[0]; the right part is the same fold over the remaining stack. */
  rc_hash h;
  memcpy(h, s->stack[depth - 1], sizeof h);
  for (unsigned i = depth - 1; i-- > 0;) rc_merkle_node_hash(s->stack[i], h, h);
  memcpy(out, h, sizeof h);
}

/* Root over leaves[0..n) (leaf hashes); SHA-256("") for n == 0. Requires
 * leaves to hold n hashes (may be NULL when n is 0). n-1 node hashes,
 * O(log n) extra memory (one stream on the stack, about 2 KiB). */
void rc_merkle_root(const rc_hash *leaves, size_t n, rc_hash out) {
  struct rc_merkle_stream s;
  rc_merkle_stream_init(&s);
  for (size_t i = 0; i < n; i++) rc_merkle_stream_push(&s, leaves[i]);
  rc_merkle_stream_root(&s, out);
}

/* ---------------------------------------------------------------------
 * Proof generation. */

/* Reverses proof[0..n): the loops below collect hashes root-side first. */
static void reverse_hashes(rc_hash *proof, size_t n) {
  rc_hash t;
  for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
    memcpy(t, proof[i], sizeof t);
    memcpy(proof[i], proof[j - 1], sizeof t);
    memcpy(proof[j - 1], t, sizeof t);
  }
}

/* Inclusion proof (RFC 9162 §2.1.3.1, leaf level first) for leaves[index]
 * in the tree over leaves[0..n). Requires proof to hold RC_PROOF_MAX hashes.
 * Returns RC_OK and *plen = count; RC_ERR_USAGE if an argument is NULL or
 * index >= n; RC_ERR_LIMIT if the proof would exceed RC_PROOF_MAX (only for
 * n > 2^64). On failure *plen is 0. Costs O(n) hashing. */
int rc_merkle_inclusion_proof(const rc_hash *leaves, size_t n, size_t index,
                              rc_hash *proof, size_t *plen) {
  if (plen != NULL) *plen = 0;
  if (leaves == NULL || proof == NULL || plen == NULL || index >= n)
    return RC_ERR_USAGE;
  /* RFC 9162 §2.1.3.1 PATH(m, D[lo:lo+size]) unrolled: at each level keep
   * the half holding the leaf and emit the root of the other half. */
  size_t lo = 0, size = n, count = 0;
  while (size > 1) {
    size_t k = (size_t)split_point(size);
    if (count == RC_PROOF_MAX) {
      memset(proof, 0, count * sizeof(rc_hash));
      return RC_ERR_LIMIT;
    }
    if (index - lo < k) {
      rc_merkle_root(leaves + lo + k, size - k, proof[count++]);
      size = k;
    } else {
      rc_merkle_root(leaves + lo, k, proof[count++]);
      lo += k;
      size -= k;
    }
  }
  reverse_hashes(proof, count);
  *plen = count;
  return RC_OK;
}

int rc_merkle_tree_build(const rc_hash *leaves, size_t n,
                         struct rc_merkle_tree *t) {
  memset(t, 0, sizeof *t);
  if (leaves == NULL || n == 0) return RC_ERR_USAGE;
  /* a level above 0 has half (rounded up) of the one below, so all of
   * them together hold at most n - 1 + one carried node per level */
  if (n > SIZE_MAX / sizeof(rc_hash) - 64) return RC_ERR_NOMEM;
  t->nodes = malloc((n + 64) * sizeof(rc_hash));
  if (t->nodes == NULL) return RC_ERR_NOMEM;
  t->leaves = leaves;
  t->n = n;
  t->len[0] = n;
  size_t k = 0, used = 0;
  const rc_hash *below = leaves;
  while (t->len[k] > 1) {
    size_t m = t->len[k], up = (m + 1) / 2;
    rc_hash *level = t->nodes + used;
    for (size_t i = 0; i + 1 < m; i += 2)
      rc_merkle_node_hash(below[i], below[i + 1], level[i / 2]);
    if (m % 2) memcpy(level[up - 1], below[m - 1], 32);
    k++;
    t->off[k] = used;
    t->len[k] = up;
    used += up;
    below = level;
  }
  t->nlevels = k + 1;
  return RC_OK;
}

int rc_merkle_tree_proof(const struct rc_merkle_tree *t, size_t index,
                         rc_hash *proof, size_t *plen) {
  if (plen != NULL) *plen = 0;
  if (t == NULL || t->nodes == NULL || proof == NULL || plen == NULL ||
      index >= t->n)
    return RC_ERR_USAGE;
  size_t count = 0, i = index;
  for (size_t k = 0; k + 1 < t->nlevels; k++, i /= 2) {
    const rc_hash *level = k ? t->nodes + t->off[k] : t->leaves;
    size_t sib = i ^ 1;
    if (sib >= t->len[k]) continue; /* a lone last node: carried up */
    if (count == RC_PROOF_MAX) return RC_ERR_LIMIT;
    memcpy(proof[count++], level[sib], 32);
  }
  *plen = count;
  return RC_OK;
}

void rc_merkle_tree_free(struct rc_merkle_tree *t) {
  free(t->nodes);
  memset(t, 0, sizeof *t);
}

/* Consistency proof (RFC 9162 §2.1.4.1) from the tree over leaves[0..m) to
 * the tree over leaves[0..n). Requires proof to hold RC_PROOF_MAX hashes.
 * Returns RC_OK and *plen = count (0 when m == n); RC_ERR_USAGE if an
 * argument is NULL, m == 0 (the verifier rejects every proof from the empty
 * tree, so none is produced) or m > n; RC_ERR_LIMIT if the proof would
 * exceed RC_PROOF_MAX. On failure *plen is 0. Costs O(n) hashing. */
int rc_merkle_consistency_proof(const rc_hash *leaves, size_t n, size_t m,
                                rc_hash *proof, size_t *plen) {
  if (plen != NULL) *plen = 0;
  if (leaves == NULL || proof == NULL || plen == NULL || m == 0 || m > n)
    return RC_ERR_USAGE;
  /* RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:lo+size], b) unrolled. `whole` is
   * the flag b: true while the subtree is still a prefix of the old tree
   * whose root the verifier already has. */
  size_t lo = 0, size = n, count = 0;
  int whole = 1;
  for (;;) {
    if (m == size) {
      if (!whole) {
        if (count == RC_PROOF_MAX) goto limit;
        rc_merkle_root(leaves + lo, size, proof[count++]);
      }
      break;
    }
    /* Here m < size, so size >= 2. */
    size_t k = (size_t)split_point(size);
    if (count == RC_PROOF_MAX) goto limit;
    if (m <= k) {
      rc_merkle_root(leaves + lo + k, size - k, proof[count++]);
      size = k;
    } else {
      rc_merkle_root(leaves + lo, k, proof[count++]);
      lo += k;
      size -= k;
      m -= k;
      whole = 0;
    }
  }
  reverse_hashes(proof, count);
  *plen = count;
  return RC_OK;
limit:
  memset(proof, 0, count * sizeof(rc_hash));
  return RC_ERR_LIMIT;
}

/* ---------------------------------------------------------------------
 * Verification. */

/* RFC 9162 §2.1.3.2: does proof show that leaf is at index in the tree of
 * n leaves with the given root? Returns RC_OK or RC_ERR_PROOF (also for
 * index >= n, plen > RC_PROOF_MAX, a proof of the wrong length, or a NULL
 * pointer). Never reads proof[plen] or beyond. */
int rc_merkle_verify_inclusion(uint64_t index, uint64_t n, const rc_hash leaf,
                               const rc_hash *proof, size_t plen,
                               const rc_hash root) {
  if (leaf == NULL || root == NULL || (plen > 0 && proof == NULL))
    return RC_ERR_PROOF;
  if (plen > RC_PROOF_MAX) return RC_ERR_PROOF;
  /* 1. leaf_index >= tree_size fails. */
  if (index >= n) return RC_ERR_PROOF;
  /* 2-3. */
  uint64_t fn = index, sn = n - 1;
  rc_hash r;
  memcpy(r, leaf, sizeof r);
  /* 4. */
  for (size_t i = 0; i < plen; i++) {
    if (sn == 0) return RC_ERR_PROOF;
    if ((fn & 1) || fn == sn) {
      rc_merkle_node_hash(proof[i], r, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      rc_merkle_node_hash(r, proof[i], r);
    }
    fn >>= 1;
    sn >>= 1;
  }
  /* 5. */
  if (sn != 0 || !hash_eq(r, root)) return RC_ERR_PROOF;
  return RC_OK;
}

/* RFC 9162 §2.1.4.2: is the tree of size n with root2 an append-only
 * extension of the tree of size m with root1? Returns RC_OK or RC_ERR_PROOF;
 * the size rules are in the file comment (m == 0 or m > n always fail). */
int rc_merkle_verify_consistency(uint64_t m, uint64_t n, const rc_hash root1,
                                 const rc_hash root2, const rc_hash *proof,
                                 size_t plen) {
  if (root1 == NULL || root2 == NULL || (plen > 0 && proof == NULL))
    return RC_ERR_PROOF;
  if (plen > RC_PROOF_MAX) return RC_ERR_PROOF;
  if (m > n || m == 0) return RC_ERR_PROOF;
  if (m == n) return plen == 0 && hash_eq(root1, root2) ? RC_OK : RC_ERR_PROOF;
  /* Now 0 < m < n: RFC 9162 §2.1.4.2. */
  /* 1. An empty consistency_path fails. */
  if (plen == 0) return RC_ERR_PROOF;
  /* 2. If m is a power of two, root1 is prepended: path[0] = root1 and
   * path[j] = proof[j-1]. Done by index to keep the caller's array const. */
  const int pow2 = (m & (m - 1)) == 0;
  const size_t total = plen + (pow2 ? 1u : 0u);
  const uint8_t *first = pow2 ? root1 : proof[0];
  /* 3-4. */
  uint64_t fn = m - 1, sn = n - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  /* 5. */
  rc_hash fr, sr;
  memcpy(fr, first, sizeof fr);
  memcpy(sr, first, sizeof sr);
  /* 6. */
  for (size_t j = 1; j < total; j++) {
    const uint8_t *c = pow2 ? proof[j - 1] : proof[j];
    if (sn == 0) return RC_ERR_PROOF;
    if ((fn & 1) || fn == sn) {
      rc_merkle_node_hash(c, fr, fr);
      rc_merkle_node_hash(c, sr, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      rc_merkle_node_hash(sr, c, sr);
    }
    fn >>= 1;
    sn >>= 1;
  }
  /* 7. Evaluate all three conditions, then decide. */
  int ok = hash_eq(fr, root1) & hash_eq(sr, root2) & (sn == 0);
  return ok ? RC_OK : RC_ERR_PROOF;
}
