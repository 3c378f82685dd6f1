// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * CRC-32 for the ICRC.  crc32_le() is what include/zroce/icrc.h expects:
 * reflected, no inversion.
 */
#include <linux/crc32.h>
#include "zroce.h"

u32 zroce_crc32(u32 crc, const void *p, u32 len)
{
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
		crc = crc32_le(crc, data, n);
		done += n;
	}
	skb_abort_seq_read(&st);
	return crc;
}
