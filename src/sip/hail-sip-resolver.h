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
 * first; DNS failures keep G_RESOLVER_ERROR with the name in the message:
 * G_RESOLVER_ERROR_NOT_FOUND ("DNS name not found") only when the name or
 * its addresses do not exist, TEMPORARY_FAILURE for SERVFAIL or silence.
 *
 * No NAPTR (§4.1 says SHOULD): GResolver (GLib 2.74) has no NAPTR lookup,
 * so it would take a second DNS path beside GResolver's (res_query() and
 * our own parser of compressed answers from the network, off GResolver's
 * cancellation and thread pool) for what NAPTR adds: the provider's order
 * between transports, and SRV names other than _sip._udp and the like. The
 * §4.1 fallback without NAPTR (SRV of each transport the client supports,
 * in the client's order, here secure first) is what most user agents do
 * and reaches every provider that publishes the usual SRV names. A domain
 * with NAPTR records pointing to unusual SRV names only gets its A/AAAA at
 * 5060 here; tests/e2e/test-dns.py checks that no NAPTR query is sent. */
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
