// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * CRC-32 for the ICRC, with crc32_le()'s meaning (reflected, no inversion),
 * which is what include/zroce/icrc.h expects.
 *
 * Two implementations may be at hand: the library's crc32_le() and the
 * crypto API's "crc32" (crc32-pclmul on x86, the arm64 and s390 CRC
 * instructions).  Which is faster depends on the machine, not only on its
 * instruction set: under QEMU's TCG, PCLMULQDQ is emulated and runs at half
 * the speed of crc32_le()'s tables.  So, like crypto/xor.c, time both once
 * at load and keep the faster for long buffers.
 */
#include <linux/crc32.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <crypto/hash.h>
#include "zroce.h"

#define ZROCE_CRC_CALIB_LEN	(16 * 1024)
#define ZROCE_CRC_SHASH_MIN	256	/* shorter: the call costs too much */

/* The crypto API's CRC-32, when it won at load; otherwise NULL. */
static struct crypto_shash *zroce_crc_tfm;

/* The "crc32" shash's state is the running CRC itself. */
static u32 zroce_crc32_shash(u32 crc, const void *p, u32 len)
{
	SHASH_DESC_ON_STACK(desc, zroce_crc_tfm);

	desc->tfm = zroce_crc_tfm;
	crypto_shash_import(desc, &crc);
	crypto_shash_update(desc, p, len);
	crypto_shash_export(desc, &crc);
	return crc;
}

static u32 zroce_crc32_lib(u32 crc, const void *p, u32 len)
{
	return crc32_le(crc, p, len);
}

u32 zroce_crc32(u32 crc, const void *p, u32 len)
{
	if (zroce_crc_tfm && len >= ZROCE_CRC_SHASH_MIN)
		return zroce_crc32_shash(crc, p, len);
	return crc32_le(crc, p, len);
}

/* Continue crc over len bytes of skb from off, frags included. */
u32 zroce_crc_skb(u32 crc, const struct sk_buff *skb, u32 off, u32 len)
{
	struct skb_seq_state st;
	const u8 *data;
	u32 done = 0, n;

	skb_prepare_seq_read((struct sk_buff *)skb, off, off + len, &st);
	/* a block may run past off + len: skb_seq_read() does not clip it */
	while (done < len && (n = skb_seq_read(done, &data, &st)) != 0) {
		n = min(n, len - done);
		crc = zroce_crc32(crc, data, n);
		done += n;
	}
	skb_abort_seq_read(&st);
	return crc;
}

/* Best of three: nanoseconds for one pass over buf; its CRC in *crc. */
static u64 zroce_crc_time(u32 (*fn)(u32, const void *, u32), const u8 *buf,
			  u32 *crc)
{
	u64 best = U64_MAX, t;
	int i;

	for (i = 0; i < 3; i++) {
		t = ktime_get_ns();
		*crc = fn(0, buf, ZROCE_CRC_CALIB_LEN);
		best = min(best, ktime_get_ns() - t);
	}
	return best;
}

static u32 zroce_mbps(u64 ns)
{
	return div64_u64((u64)ZROCE_CRC_CALIB_LEN * 1000, max_t(u64, ns, 1));
}

/* Pick the CRC-32 the ICRC uses; never fails (crc32_le() is always there). */
void zroce_crc_init(void)
{
	struct crypto_shash *tfm;
	u64 t_lib, t_shash;
	u32 c_lib, c_shash;
	u8 *buf;

	tfm = crypto_alloc_shash("crc32", 0, 0);
	if (IS_ERR(tfm))
		return;
	buf = kmalloc(ZROCE_CRC_CALIB_LEN, GFP_KERNEL);
	if (!buf || crypto_shash_statesize(tfm) != sizeof(u32))
		goto out_free;
	get_random_bytes(buf, ZROCE_CRC_CALIB_LEN);

	zroce_crc_tfm = tfm;
	t_shash = zroce_crc_time(zroce_crc32_shash, buf, &c_shash);
	t_lib = zroce_crc_time(zroce_crc32_lib, buf, &c_lib);
	pr_info("ICRC: crc32_le %u MB/s, %s %u MB/s\n", zroce_mbps(t_lib),
		crypto_shash_driver_name(tfm), zroce_mbps(t_shash));
	if (c_shash == c_lib && t_shash < t_lib)
		tfm = NULL;	/* keep it */
	else
		zroce_crc_tfm = NULL;
out_free:
	kfree(buf);
	crypto_free_shash(tfm);	/* NULL-safe */
}

void zroce_crc_exit(void)
{
	crypto_free_shash(zroce_crc_tfm);
}
