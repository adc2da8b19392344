/* test-msrp-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-msrp-util.h"

#include <string.h>

#include "hail-test-util.h"

HailMsrpSession *
msrp_test_new_session (gboolean secure)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GError) error = NULL;
  HailMsrpSession *session = hail_msrp_session_new (G_INET_SOCKET_ADDRESS (any), secure, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hail_msrp_session_get_local_path (session),
                                   secure ? "msrps://127.0.0.1:" : "msrp://127.0.0.1:"));
  return session;
}

typedef struct {
  HailMsrpSession      *session;
  HailMsrpSessionState  state;
} StateWait;

static gboolean
state_is_cb (gpointer data)
{
  StateWait *w = data;

  return hail_msrp_session_get_state (w->session) == w->state;
}

gboolean
msrp_test_wait_state (HailMsrpSession      *session,
                      HailMsrpSessionState  state)
{
  StateWait w = { session, state };

  return hail_test_wait_until (state_is_cb, &w, MSRP_TEST_WAIT_MS);
}

void
msrp_test_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MsrpTestResult *r = user_data;

  r->ok = hail_msrp_session_send_finish (HAIL_MSRP_SESSION (source), result, &r->error);
  r->done = TRUE;
}

gboolean
msrp_test_result_done_cb (gpointer data)
{
  return ((MsrpTestResult *) data)->done;
}

void
msrp_test_send_and_wait (HailMsrpSession  *session,
                         HailMsrpOutgoing *message,
                         MsrpTestResult   *r)
{
  hail_msrp_session_send_async (session, message, NULL, msrp_test_sent_cb, r);
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, r, MSRP_TEST_WAIT_MS));
}

GBytes *
msrp_test_make_binary (gsize len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5547);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i += 4)
    {
      guint32 v = g_rand_int (rand);

      memcpy (data + i, &v, MIN (4, len - i));
    }
  return g_bytes_new_take (data, len);
}
