/* hail-msrp-limits.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every bound the MSRP parser, reassembly and session apply to network input
 * (RFC 4975), in one place. Passing one fails with HAIL_SIP_ERROR_TOO_LARGE.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The start line and header section of one request or response, up to its
 * blank line or end-line. Paths through a few relays fit easily. */
#define HAIL_MSRP_MAX_HEADER_SIZE       (16 * 1024)
/* Header lines in one message: To-Path, From-Path and a handful more. */
#define HAIL_MSRP_MAX_HEADERS           64
/* URIs in one To-Path or From-Path: the peer and a few relays (RFC 4976). */
#define HAIL_MSRP_MAX_PATH_URIS         16
/* The longest Expires a relay may grant (RFC 4976 §5.1): a day. Longer
 * would never be refreshed in a session's life anyway. */
#define HAIL_MSRP_MAX_EXPIRES           86400
/* The longest MSRP URI we take apart. */
#define HAIL_MSRP_MAX_URI_LENGTH        1024
/* The body of one incoming SEND chunk. A peer that sends bigger chunks than
 * this is cut off; ours stay far below it. */
#define HAIL_MSRP_MAX_CHUNK_SIZE        (1024 * 1024)
/* RFC 4975 §7.1: bodies of requests other than SEND are not interruptible
 * and may not exceed 10240 octets. */
#define HAIL_MSRP_MAX_NON_SEND_BODY     10240
/* A whole frame: header section, body and end-line. */
#define HAIL_MSRP_MAX_FRAME_SIZE        (HAIL_MSRP_MAX_HEADER_SIZE + HAIL_MSRP_MAX_CHUNK_SIZE + 64)

/* RFC 4975 §7.1: a SEND of more than 2048 octets must be interruptible so
 * that other messages are not stuck behind it. We write whole chunks, so
 * chunks of this size keep the connection fair by default. */
#define HAIL_MSRP_DEFAULT_CHUNK_SIZE    2048
/* The largest message a session reassembles unless told otherwise (the
 * chat layer sets its file-size preference); memory for it is only taken as
 * bytes arrive. */
#define HAIL_MSRP_DEFAULT_MAX_MESSAGE_SIZE (64 * 1024 * 1024)
/* The largest chunk body sent when a relay is in the path (ours or the
 * peer's). RFC 4976 §7.1 lets relays refuse big chunks; Kamailio's msrp
 * module takes frames of at most 10240 body bytes. */
#define HAIL_MSRP_RELAY_CHUNK_SIZE      8192
/* Requests our relay brings before the peer's answer let us start
 * (RFC 4976): kept until then, the rest refused. */
#define HAIL_MSRP_MAX_EARLY_REQUESTS    16
/* Hard ceiling for that setting: reassembly buffers are indexed in gsize but
 * must stay allocatable on 32-bit systems too. */
#define HAIL_MSRP_MAX_MESSAGE_SIZE_CEILING ((guint64) G_MAXINT32)
/* Disjoint byte ranges one message in reassembly may have: a peer cannot
 * fragment our bookkeeping without bound. */
#define HAIL_MSRP_MAX_RANGES            1024
/* Messages a session reassembles at the same time; together they may hold
 * no more than the session's maximum message size. */
#define HAIL_MSRP_MAX_INCOMING_MESSAGES 16
/* RFC 4975 §7.1.2: a streamed message that asked for a Success-Report
 * gets one for what it holds every this many bytes, so that its sender
 * can resume past them (RFC 5547 §9). */
#define HAIL_MSRP_PARTIAL_REPORT_BYTES  (1024 * 1024)
/* Message-IDs a session remembers having refused (413), so that chunks
 * already on their way are refused too instead of starting over. */
#define HAIL_MSRP_MAX_REFUSED_MESSAGES  64

/* RFC 4975 §7.1: a transaction id carries at least 64 bits of randomness;
 * §9: ident is 4 to 32 characters. */
#define HAIL_MSRP_TRANSACTION_ID_MIN    4
#define HAIL_MSRP_TRANSACTION_ID_MAX    32
/* RFC 4975: a SEND that asked for a response and got none within 30 s
 * fails as if a 408 had come. */
#define HAIL_MSRP_TRANSACTION_TIMEOUT_MS 30000
/* Chunks a session writes ahead of the socket before waiting for it to
 * drain; bounds memory for a file of any size. */
#define HAIL_MSRP_SEND_WINDOW           (256 * 1024)
/* How long a connection we turn away may take to send its last response. */
#define HAIL_MSRP_LINGER_MS             2000
/* Bytes read from the socket at a time. */
#define HAIL_MSRP_READ_SIZE             (64 * 1024)

G_END_DECLS
