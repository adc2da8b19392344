/* test-transport-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A transport under test with everything it reported, and bounded waits.
 */
#pragma once

#include "hail-sip-transport.h"

G_BEGIN_DECLS

typedef struct {
  GBytes               *message;
  HailSipFlow          *flow;
  GInetSocketAddress   *remote;
  GInetSocketAddress   *local;
  HailSipTransportKind  kind;
} Received;

typedef struct {
  HailSipFlow *flow;
  GError      *error;   /* NULL when closed on purpose. */
} Closed;

typedef struct {
  HailSipTransport *transport;
  GPtrArray        *received;   /* Received* */
  GPtrArray        *closed;     /* Closed* */
} Peer;

/* Waits (at most 10 s) until @array holds @count entries. */
gboolean            peer_wait_count   (GPtrArray *array,
                                       guint      count);

Peer               *peer_new          (void);
void                peer_free         (Peer *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* Binds @kind on @ip port 0 and returns the bound address. */
GInetSocketAddress *peer_listen       (Peer                 *peer,
                                       HailSipTransportKind  kind,
                                       const char           *ip);

/* Sends and waits for the result. */
gboolean            peer_send         (Peer                  *peer,
                                       HailSipTransportKind   kind,
                                       GInetSocketAddress    *remote,
                                       const char            *server_name,
                                       const char            *text,
                                       HailSipFlow          **flow,
                                       GError               **error);

/* A request with a body of @body_len 'x' bytes. */
char               *make_request      (const char *method,
                                       gsize       body_len);

gboolean            ipv6_loopback_available (void);

G_END_DECLS
