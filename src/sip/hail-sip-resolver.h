/* hail-sip-resolver.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-target.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/* SRV targets and addresses one lookup returns at most. */
#define HAIL_SIP_RESOLVER_MAX_TARGETS 16

/* RFC 3263 server location with the system GResolver. The transport is
 * @kind when it is not -1, else the URI's `transport=` parameter, else TLS
 * for sips:, else the first of _sips._tcp, _sip._tcp, _sip._udp that has
 * SRV records, else UDP. A numeric host is used as it is; a host with a
 * port is looked up with A/AAAA only (§4.2); otherwise SRV, then A/AAAA at
 * 5060 (5061 for TLS). The result is an array of HailSipTarget, best
 * first; DNS failures keep G_RESOLVER_ERROR with the name in the message. */
void       hail_sip_resolver_lookup_async  (const HailSipUri     *uri,
                                            gint                  kind,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray *hail_sip_resolver_lookup_finish (GAsyncResult         *result,
                                            GError              **error) G_GNUC_WARN_UNUSED_RESULT;

/* The transport named by a `transport=` value or --transport argument
 * ("udp", "tcp", "tls", any case), or -1. */
gint       hail_sip_resolver_parse_transport (const char *name);

G_END_DECLS
