/* hail-sip-limits.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every bound the message parser and URI module apply to network input, in one
 * place. A message that passes one of them fails with HAIL_SIP_ERROR_TOO_LARGE.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Defaults of HailSipLimits: a UDP datagram cannot exceed 64 KiB anyway, and
 * real messages carry 10 to 40 headers. */
#define HAIL_SIP_DEFAULT_MAX_MESSAGE_SIZE 65536
#define HAIL_SIP_DEFAULT_MAX_HEADERS      256

/* Hard ceilings: offsets are stored in 32 bits and header indices in 16. */
#define HAIL_SIP_MAX_MESSAGE_SIZE_CEILING (G_MAXUINT32 / 2)
#define HAIL_SIP_MAX_HEADERS_CEILING      4096

/* URI parameters and headers one URI may carry. Comparing two URIs is
 * quadratic in these, so they are bounded independently of the message. */
#define HAIL_SIP_MAX_URI_PARAMS  64
#define HAIL_SIP_MAX_URI_HEADERS 32

/* Parameters one header value (a Via, a Contact) may carry, for the same
 * reason: lookups walk the list. */
#define HAIL_SIP_MAX_HEADER_PARAMS 64

/**
 * HailSipLimits:
 * @max_message_size: largest message (start line, headers and body) in bytes
 * @max_headers: largest number of header lines
 *
 * Bounds applied by hail_sip_message_parse(). Initialise with
 * hail_sip_limits_init() and change the fields you need.
 */
typedef struct {
  gsize max_message_size;
  guint max_headers;
} HailSipLimits;

/* Fills @limits with the defaults above. */
static inline void
hail_sip_limits_init (HailSipLimits *limits)
{
  limits->max_message_size = HAIL_SIP_DEFAULT_MAX_MESSAGE_SIZE;
  limits->max_headers = HAIL_SIP_DEFAULT_MAX_HEADERS;
}

G_END_DECLS
