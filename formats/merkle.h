/* merkle.h — RFC 9162 §2.1 Merkle trees (SHA-256).
 *   leaf hash = H(0x00 || leaf), node hash = H(0x01 || left || right),
 *   split at the largest power of two smaller than n, empty tree = H("").
 * Everything is iterative: O(n) hashing, O(log n) extra memory beyond the
 * caller's array of leaf hashes. */
#ifndef RC_MERKLE_H
#define RC_MERKLE_H
#include "rc.h"

typedef uint8_t rc_hash[32];

void rc_merkle_leaf_hash(const uint8_t *leaf, size_t len, rc_hash out);
void rc_merkle_node_hash(const rc_hash left, const rc_hash right, rc_hash out);

/* Streaming tree hash: push leaf hashes in order, then finish. Uses at
 * most 64 stacked hashes. */
struct rc_merkle_stream {
  rc_hash stack[64];
  uint64_t count;
};
void rc_merkle_stream_init(struct rc_merkle_stream *s);
void rc_merkle_stream_push(struct rc_merkle_stream *s, const rc_hash leaf);
void rc_merkle_stream_root(const struct rc_merkle_stream *s, rc_hash out);

/* Root of the tree over leaves[0..n) (leaf hashes). */
void rc_merkle_root(const rc_hash *leaves, size_t n, rc_hash out);

/* Inclusion proof for leaf index in a tree of n leaves. proof must hold
 * RC_PROOF_MAX hashes; *plen receives the count. */
RC_WUR int rc_merkle_inclusion_proof(const rc_hash *leaves, size_t n,
                                     size_t index, rc_hash *proof,
                                     size_t *plen);
/* RFC 9162 §2.1.3.2. Returns RC_OK or RC_ERR_PROOF. */
RC_WUR int rc_merkle_verify_inclusion(uint64_t index, uint64_t n,
                                      const rc_hash leaf, const rc_hash *proof,
                                      size_t plen, const rc_hash root);

/* Every level of the tree over n leaf hashes, for many inclusion proofs
 * over one tree (a receipt for every station): O(n) hashing and n hashes
 * of memory once, then O(log n) per proof. Level 0 is the caller's leaves
 * (borrowed, not copied: they must outlive the tree); level k+1 hashes
 * the pairs of level k, a lone last node going up unchanged, which is the
 * RFC 9162 tree (split at the largest power of two). */
struct rc_merkle_tree {
  const rc_hash *leaves;
  rc_hash *nodes;    /* levels 1.. one after the other */
  size_t n, nlevels; /* nlevels counts level 0 */
  size_t off[64];    /* level k >= 1 starts at nodes[off[k]] */
  size_t len[64];    /* hashes on level k */
};
/* RC_OK, RC_ERR_USAGE (no leaves) or RC_ERR_NOMEM. */
RC_WUR int rc_merkle_tree_build(const rc_hash *leaves, size_t n,
                                struct rc_merkle_tree *t);
/* The same proof as rc_merkle_inclusion_proof(t->leaves, t->n, index). */
RC_WUR int rc_merkle_tree_proof(const struct rc_merkle_tree *t, size_t index,
                                rc_hash *proof, size_t *plen);
void rc_merkle_tree_free(struct rc_merkle_tree *t);

/* Consistency proof between sizes m <= n over leaves[0..n). */
RC_WUR int rc_merkle_consistency_proof(const rc_hash *leaves, size_t n,
                                       size_t m, rc_hash *proof, size_t *plen);
/* RFC 9162 §2.1.4.2. Returns RC_OK or RC_ERR_PROOF. */
RC_WUR int rc_merkle_verify_consistency(uint64_t m, uint64_t n,
                                        const rc_hash root1,
                                        const rc_hash root2,
                                        const rc_hash *proof, size_t plen);
#endif
