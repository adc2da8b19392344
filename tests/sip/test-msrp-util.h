/* test-msrp-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the MSRP session tests share: sessions on 127.0.0.1, bounded waits
 * for a state or a send, and test content.
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

G_END_DECLS
