/* hail-sip-transport-types.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport kind and every bound of the transport layer, in one place.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The largest SIP message the transports carry or frame, header and body
 * together; a stream peer that announces more is cut off. */
#define HAIL_SIP_MAX_MESSAGE_SIZE      (64 * 1024)
/* The largest header section a stream peer may send before its blank line. */
#define HAIL_SIP_MAX_HEADER_SIZE       (32 * 1024)
/* RFC 3261 §18.1.1: a request larger than this goes over a congestion
 * controlled transport when the path MTU is unknown. */
#define HAIL_SIP_UDP_MAX_REQUEST_SIZE  1300
/* The largest UDP payload over IPv4 (65535 - 8 - 20); responses are bound
 * by it alone. */
#define HAIL_SIP_UDP_MAX_DATAGRAM      65507
/* RFC 3261 §18.1.1: the margin kept below a known path MTU. */
#define HAIL_SIP_UDP_MTU_MARGIN        200
/* Bytes read from a socket at a time. */
#define HAIL_SIP_READ_CHUNK_SIZE       (16 * 1024)
/* Bytes queued for a slow stream peer before the flow is declared broken. */
#define HAIL_SIP_MAX_SEND_QUEUE        (1024 * 1024)
/* Connections one transport keeps at most; beyond it new ones are refused.
 * A phone talks to a few proxies; this stays well below the usual limit of
 * 1024 open files, so a flood cannot starve accept() of descriptors. */
#define HAIL_SIP_MAX_FLOWS             256

/**
 * HailSipTransportKind:
 * @HAIL_SIP_TRANSPORT_KIND_UDP: datagrams, one message each
 * @HAIL_SIP_TRANSPORT_KIND_TCP: a byte stream, framed by Content-Length
 * @HAIL_SIP_TRANSPORT_KIND_TLS: TCP inside TLS 1.2 or later
 */
typedef enum {
  HAIL_SIP_TRANSPORT_KIND_UDP,
  HAIL_SIP_TRANSPORT_KIND_TCP,
  HAIL_SIP_TRANSPORT_KIND_TLS,
} HailSipTransportKind;

#define HAIL_TYPE_SIP_TRANSPORT_KIND (hail_sip_transport_kind_get_type ())
GType       hail_sip_transport_kind_get_type  (void) G_GNUC_CONST;

/* "UDP", "TCP" or "TLS", as written in a Via header. */
const char *hail_sip_transport_kind_to_string (HailSipTransportKind kind);

/* Whether @kind is a byte stream (TCP, TLS) rather than datagrams. */
gboolean    hail_sip_transport_kind_is_stream (HailSipTransportKind kind);

G_END_DECLS
