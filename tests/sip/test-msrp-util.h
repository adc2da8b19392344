/* test-msrp-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the MSRP session tests share: sessions on 127.0.0.1 and the peers
 * that record what they report, bounded waits for a state or a send, and
 * test content.
 */
#pragma once

#include "hail-msrp-session.h"

G_BEGIN_DECLS

/* Every wait of these tests is bounded by this. */
#define MSRP_TEST_WAIT_MS 20000

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} MsrpTestResult;

/* A session listening on 127.0.0.1, port 0. */
HailMsrpSession *msrp_test_new_session    (gboolean          secure);
gboolean         msrp_test_wait_state     (HailMsrpSession  *session,
                                           HailMsrpSessionState state);

/* The GAsyncReadyCallback of hail_msrp_session_send_async() that fills the
 * MsrpTestResult it is given, and the wait condition on it. */
void             msrp_test_sent_cb        (GObject          *source,
                                           GAsyncResult     *result,
                                           gpointer          user_data);
gboolean         msrp_test_result_done_cb (gpointer          data);
void             msrp_test_send_and_wait  (HailMsrpSession  *session,
                                           HailMsrpOutgoing *message,
                                           MsrpTestResult   *r);

/* @len pseudo-random bytes, the same on every run. */
GBytes          *msrp_test_make_binary    (gsize             len);

/* One end of a session pair and what its session reported. */
typedef struct {
  HailMsrpSession    *session;
  GPtrArray          *messages;       /* GBytes* */
  GPtrArray          *types;          /* char* */
  GPtrArray          *aborted;        /* GError* */
  char               *last_id;
  HailMsrpReassembly *partial;        /* From the last "receive-aborted". */
  guint64             last_received;
  gint64              last_total;
  guint               n_progress;
} MsrpTestPeer;

/* Takes @session and records its signals in @peer. */
void             msrp_test_peer_init      (MsrpTestPeer     *peer,
                                           HailMsrpSession  *session);
/* Closes the session and checks that nothing keeps it alive once the
 * cancelled I/O came back. */
void             msrp_test_peer_clear     (MsrpTestPeer     *peer);
/* Gives each session the other's path. */
void             msrp_test_link_paths     (HailMsrpSession  *a,
                                           HailMsrpSession  *b);
/* Starts @a passive and @b active, as an answer to actpass makes them
 * (RFC 6135); with @wait_ready, returns once both are ready. */
void             msrp_test_start_pair     (MsrpTestPeer     *a,
                                           MsrpTestPeer     *b,
                                           gboolean          wait_ready);
/* Sends @content from @from and checks it reaches @to byte-exact. */
void             msrp_test_transfer       (MsrpTestPeer     *from,
                                           MsrpTestPeer     *to,
                                           const char       *content_type,
                                           GBytes           *content);

G_END_DECLS
