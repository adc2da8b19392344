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

static void
message_received_cb (HailMsrpSession *session,
                     const char      *message_id,
                     const char      *content_type,
                     GBytes          *content,
                     MsrpTestPeer    *peer)
{
  g_ptr_array_add (peer->messages, g_bytes_ref (content));
  g_ptr_array_add (peer->types, g_strdup (content_type));
}

static void
receive_progress_cb (HailMsrpSession *session,
                     const char      *message_id,
                     guint64          received,
                     gint64           total,
                     MsrpTestPeer    *peer)
{
  /* Progress only grows within one message. */
  if (g_strcmp0 (message_id, peer->last_id) != 0)
    {
      g_free (peer->last_id);
      peer->last_id = g_strdup (message_id);
      peer->last_received = 0;
    }
  g_assert_cmpuint (received, >=, peer->last_received);
  peer->last_received = received;
  peer->last_total = total;
  peer->n_progress++;
}

static void
receive_aborted_cb (HailMsrpSession    *session,
                    const char         *message_id,
                    const GError       *reason,
                    HailMsrpReassembly *partial,
                    MsrpTestPeer       *peer)
{
  g_ptr_array_add (peer->aborted, g_error_copy (reason));
  g_set_object (&peer->partial, partial);
}

void
msrp_test_peer_init (MsrpTestPeer    *peer,
                     HailMsrpSession *session)
{
  peer->session = session;
  peer->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  peer->types = g_ptr_array_new_with_free_func (g_free);
  peer->aborted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_signal_connect (session, "message-received", G_CALLBACK (message_received_cb), peer);
  g_signal_connect (session, "receive-progress", G_CALLBACK (receive_progress_cb), peer);
  g_signal_connect (session, "receive-aborted", G_CALLBACK (receive_aborted_cb), peer);
}

static gboolean
released_cb (gpointer data)
{
  return *(gboolean *) data;
}

static void
weak_cb (gpointer  data,
         GObject  *object)
{
  *(gboolean *) data = TRUE;
}

void
msrp_test_peer_clear (MsrpTestPeer *peer)
{
  gboolean gone = FALSE;

  if (peer->session == NULL)
    return;
  hail_msrp_session_close (peer->session);
  g_object_weak_ref (G_OBJECT (peer->session), weak_cb, &gone);
  g_signal_handlers_disconnect_by_data (peer->session, peer);
  g_clear_object (&peer->session);
  g_assert_true (hail_test_wait_until (released_cb, &gone, MSRP_TEST_WAIT_MS));
  g_ptr_array_unref (peer->messages);
  g_ptr_array_unref (peer->types);
  g_ptr_array_unref (peer->aborted);
  g_free (peer->last_id);
  g_clear_object (&peer->partial);
}

void
msrp_test_link_paths (HailMsrpSession *a,
                      HailMsrpSession *b)
{
  const char *pa[] = { hail_msrp_session_get_local_path (a), NULL };
  const char *pb[] = { hail_msrp_session_get_local_path (b), NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_msrp_session_set_remote_path (a, pb, &error));
  g_assert_no_error (error);
  g_assert_true (hail_msrp_session_set_remote_path (b, pa, &error));
  g_assert_no_error (error);
}

void
msrp_test_start_pair (MsrpTestPeer *a,
                      MsrpTestPeer *b,
                      gboolean      wait_ready)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_msrp_session_start (a->session, HAIL_SDP_SETUP_PASSIVE, &error));
  g_assert_no_error (error);
  g_assert_true (hail_msrp_session_start (b->session,
                                          hail_msrp_session_answer_setup (HAIL_SDP_SETUP_ACTPASS),
                                          &error));
  g_assert_no_error (error);
  if (!wait_ready)
    return;
  g_assert_true (msrp_test_wait_state (b->session, HAIL_MSRP_SESSION_STATE_READY));
  g_assert_true (msrp_test_wait_state (a->session, HAIL_MSRP_SESSION_STATE_READY));
}

void
msrp_test_transfer (MsrpTestPeer *from,
                    MsrpTestPeer *to,
                    const char   *content_type,
                    GBytes       *content)
{
  g_autoptr(HailMsrpOutgoing) message =
    hail_msrp_session_new_outgoing (from->session, content_type, content);
  guint n = to->messages->len;
  MsrpTestResult r = { 0 };

  msrp_test_send_and_wait (from->session, message, &r);
  g_assert_no_error (r.error);
  g_assert_true (hail_test_wait_count (to->messages, n + 1, MSRP_TEST_WAIT_MS));
  g_assert_true (g_bytes_equal (to->messages->pdata[n], content));
}
