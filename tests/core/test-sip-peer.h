/* test-sip-peer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A raw SIP peer on 127.0.0.1 UDP, for tests that need a server to say
 * no once: it answers REGISTER with 200 (echoing Contact and Expires,
 * and remembering whether a binding is left) and the first @n_refusals
 * MESSAGEs with 480, later ones with 200, keeping each MESSAGE's Call-ID.
 * It runs on the thread-default main context. */
typedef struct {
  GSocket   *socket;
  GSource   *source;
  guint16    port;
  guint      n_refusals;
  guint      n_registers;
  gboolean   bound;
  char      *realm;       /* when set, REGISTERs without credentials get 401 */
  guint      register_status;  /* when set, every REGISTER gets it (403...) */
  GPtrArray *messages;    /* char *: the Call-ID of each MESSAGE */
} TestSipPeer;

TestSipPeer *test_sip_peer_new  (guint        n_refusals);
void         test_sip_peer_free (TestSipPeer *peer);
/* sip:USER@127.0.0.1:PORT */
char        *test_sip_peer_uri  (TestSipPeer *peer,
                                 const char  *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSipPeer, test_sip_peer_free)

G_END_DECLS
