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
 * As a callee it answers an INVITE with 200 and PCMU audio sent to a
 * socket of its own that nobody reads, BYE with 200, and a re-INVITE
 * with the mirror of its direction (sendonly gets recvonly), noting the
 * direction in @reinvites; with @delay_reinvites it answers 100 only and
 * keeps them for test_sip_peer_answer_reinvites().
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
  GSocket   *media;       /* where the callee's audio goes */
  gboolean   delay_reinvites;
  GPtrArray *reinvites;   /* char *: the audio direction of each re-INVITE */
  GPtrArray *delayed;     /* TestSipPeerDelayed *: re-INVITEs not answered yet */
  guint32    last_reinvite_cseq;  /* to skip retransmissions */
  guint      n_byes;
  guint      n_answers;   /* the SDP version of the last answer */
} TestSipPeer;

TestSipPeer *test_sip_peer_new  (guint        n_refusals);
void         test_sip_peer_free (TestSipPeer *peer);
/* sip:USER@127.0.0.1:PORT */
char        *test_sip_peer_uri  (TestSipPeer *peer,
                                 const char  *user);
/* Answers the re-INVITEs kept with @delay_reinvites, oldest first. */
void         test_sip_peer_answer_reinvites (TestSipPeer *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSipPeer, test_sip_peer_free)

G_END_DECLS
