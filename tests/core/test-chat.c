/* test-chat.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat between two real accounts on 127.0.0.1 UDP, each with its own
 * history file: store, then send; resending after a restart; storing
 * incoming messages once; is-composing and IMDN both ways; a file's
 * phases (hashed before it is offered) and a peer that takes no files.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hail-chat.h"
#include "hail-sip-error.h"
#include "hail-store-error.h"
#include "hail-test-util.h"
#include "test-sip-peer.h"

typedef struct {
  char        *dir;
  HailAccount *account[2];
  HailStore   *store[2];
  HailChat    *chat[2];
  char        *uri[2];       /* How the other side reaches each one. */
  GPtrArray   *received;     /* Bodies bob's chat reported. */
  gboolean     composing;
  guint        composing_events;
  gboolean     done;
  gboolean     ok;
  guint        status;
  gint64       id;
  guint        n_sent;
  guint        n_failed;
  GError      *error;
} Fixture;

enum { ALICE, BOB };

static void
received_cb (HailChat   *chat,
             const char *from,
             const char *content_type,
             const char *body,
             Fixture    *f)
{
  g_assert_cmpstr (from, ==, "sip:alice@example.test");
  g_ptr_array_add (f->received, g_strdup (body));
}

static void
composing_cb (HailChat   *chat,
              const char *from,
              gboolean    active,
              Fixture    *f)
{
  f->composing = active;
  f->composing_events++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *aors[] = { "sip:alice@example.test", "sip:bob@example.test" };
  const char *names[] = { "alice", "bob" };

  f->dir = g_dir_make_tmp ("hail-chat-XXXXXX", NULL);
  f->received = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) bound = NULL;
      g_autofree char *path = g_strdup_printf ("%s/%s.db", f->dir, names[i]);
      HailSipTarget *udp;

      f->account[i] = hail_account_new (aors[i], &error);
      g_assert_no_error (error);
      hail_account_set_t1 (f->account[i], 20);
      bound = hail_account_start (f->account[i], "127.0.0.1:0", &error);
      g_assert_no_error (error);
      udp = g_ptr_array_index (bound, 0);
      f->uri[i] = g_strdup_printf ("sip:%s@127.0.0.1:%u", names[i],
                                   g_inet_socket_address_get_port (udp->address));
      if (data == NULL)
        {
          f->store[i] = hail_store_new_sync (path, &error);
          g_assert_no_error (error);
        }
      f->chat[i] = hail_chat_new (f->account[i], f->store[i]);
    }
  g_signal_connect (f->chat[BOB], "message-received", G_CALLBACK (received_cb), f);
  g_signal_connect (f->chat[BOB], "composing", G_CALLBACK (composing_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_error (&f->error);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_finalize_object (f->chat[i]);
      g_clear_object (&f->store[i]);
      g_object_unref (f->account[i]);
      g_free (f->uri[i]);
    }
  g_ptr_array_unref (f->received);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *db = g_strdup_printf ("%s/%s.db", f->dir, i == 0 ? "alice" : "bob");
      g_autofree char *wal = g_strdup_printf ("%s-wal", db);
      g_autofree char *shm = g_strdup_printf ("%s-shm", db);

      g_remove (db);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_chat_send_finish (HAIL_CHAT (source), result, &f->status, &f->id, &f->error);
  f->done = TRUE;
}

static void
resend_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_chat_resend_pending_finish (HAIL_CHAT (source), result, &f->n_sent, &f->n_failed,
                                           &f->error);
  f->done = TRUE;
}

static void
send_and_wait (Fixture    *f,
               const char *to,
               const char *text)
{
  f->done = FALSE;
  hail_chat_send_async (f->chat[ALICE], to, text, NULL, send_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
}

static void
resend_and_wait (Fixture *f)
{
  f->done = FALSE;
  hail_chat_resend_pending_async (f->chat[ALICE], NULL, resend_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_no_error (f->error);
}

/* Every message of @store, oldest first. */
static GListModel *
all_messages (HailStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (store, &error);
  g_autoptr(HailStoreConversation) conversation = NULL;
  GListModel *messages;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
  conversation = g_list_model_get_item (conversations, 0);
  messages = hail_store_list_messages_sync (store, hail_store_conversation_get_id (conversation),
                                            0, 1000, &error);
  g_assert_no_error (error);
  return messages;
}

static HailStoreMessage *
message_at (HailStore *store,
            guint      index)
{
  g_autoptr(GListModel) messages = all_messages (store);

  g_assert_cmpuint (index, <, g_list_model_get_n_items (messages));
  return g_list_model_get_item (messages, index);
}

static gboolean
one_received (gpointer data)
{
  return ((Fixture *) data)->received->len >= 1;
}

static void
test_send_stores_then_sends (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(HailStoreMessage) out = NULL;
  g_autoptr(HailStoreMessage) in = NULL;

  send_and_wait (f, f->uri[BOB], "你好 🎉");
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_cmpint (f->id, >, 0);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  g_assert_cmpstr (g_ptr_array_index (f->received, 0), ==, "你好 🎉");

  out = message_at (f->store[ALICE], 0);
  g_assert_cmpint (hail_store_message_get_id (out), ==, f->id);
  g_assert_cmpint (hail_store_message_get_direction (out), ==, HAIL_STORE_DIRECTION_OUT);
  g_assert_cmpint (hail_store_message_get_state (out), ==, HAIL_STORE_MESSAGE_STATE_SENT);
  g_assert_cmpuint (hail_store_message_get_status (out), ==, 200);
  g_assert_cmpstr (hail_store_message_get_body (out), ==, "你好 🎉");
  /* bob's chat reports a text only once its history holds it. */
  in = message_at (f->store[BOB], 0);
  g_assert_cmpint (hail_store_message_get_direction (in), ==, HAIL_STORE_DIRECTION_IN);
  g_assert_cmpstr (hail_store_message_get_call_id (in), ==,
                   hail_store_message_get_call_id (out));
  g_assert_cmpstr (hail_store_message_get_remote (in), ==, "sip:alice@example.test");
}

static void
test_send_failure_recorded (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(HailStoreMessage) out = NULL;
  g_autofree char *to = NULL;

  /* A peer that never answers: timer F (64 T1, 1.3 s with T1 = 20 ms). */
  g_assert_true (g_socket_bind (silent, any, FALSE, NULL));
  bound = g_socket_get_local_address (silent, NULL);
  to = g_strdup_printf ("sip:carol@127.0.0.1:%u",
                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  send_and_wait (f, to, "anyone?");
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  g_assert_cmpuint (f->status, ==, 408);
  out = message_at (f->store[ALICE], 0);
  g_assert_cmpint (hail_store_message_get_state (out), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (out), ==, 408);
  g_assert_nonnull (strstr (hail_store_message_get_reason (out), "timeout"));
}

static void
test_invalid_uri_not_stored (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = NULL;

  send_and_wait (f, "not a uri", "hello");
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  conversations = hail_store_list_conversations_sync (f->store[ALICE], &error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 0);
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *f = user_data;

  f->id = hail_store_add_outgoing_message_finish (HAIL_STORE (source), result, &f->error);
  f->done = TRUE;
}

/* A row as a run that died mid-send leaves it. */
static gint64
add_pending (Fixture    *f,
             const char *call_id,
             guint       cseq,
             const char *body)
{
  g_autoptr(HailStoreMessage) draft =
    g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "sip:alice@example.test",
                  "remote", f->uri[BOB], "direction", HAIL_STORE_DIRECTION_OUT, "body", body,
                  "content-type", "text/plain;charset=UTF-8", "call-id", call_id, "cseq", cseq,
                  NULL);

  f->done = FALSE;
  hail_store_add_outgoing_message_async (f->store[ALICE], draft, NULL, added_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 5000));
  g_assert_no_error (f->error);
  return f->id;
}

static gboolean
two_received (gpointer data)
{
  return ((Fixture *) data)->received->len >= 2;
}

static void
test_resend_pending_same_call_id (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(HailStoreMessage) out = NULL;
  g_autoptr(HailStoreMessage) in = NULL;

  add_pending (f, "left-behind-1", 5, "typed before the crash");
  resend_and_wait (f);
  g_assert_cmpuint (f->n_sent, ==, 1);
  g_assert_cmpuint (f->n_failed, ==, 0);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  out = message_at (f->store[ALICE], 0);
  g_assert_cmpint (hail_store_message_get_state (out), ==, HAIL_STORE_MESSAGE_STATE_SENT);
  in = message_at (f->store[BOB], 0);
  g_assert_cmpstr (hail_store_message_get_call_id (in), ==, "left-behind-1");
  g_assert_cmpuint (hail_store_message_get_cseq (in), ==, 5);

  /* Nothing is left for a second start. */
  resend_and_wait (f);
  g_assert_cmpuint (f->n_sent + f->n_failed, ==, 0);
}

static void
test_resend_only_once (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = add_pending (f, "resent-before", 1, "sent again already");
  g_autoptr(HailStoreMessage) out = NULL;

  /* Sent, then sent again after a first crash: two attempts. */
  hail_store_set_message_state_async (f->store[ALICE], id, HAIL_STORE_MESSAGE_STATE_SENDING, 0,
                                      NULL, NULL, NULL, NULL);
  hail_store_set_message_state_async (f->store[ALICE], id, HAIL_STORE_MESSAGE_STATE_SENDING, 0,
                                      HAIL_CHAT_RESENT_REASON, NULL, NULL, NULL);
  resend_and_wait (f);
  g_assert_cmpuint (f->n_sent, ==, 0);
  g_assert_cmpuint (f->n_failed, ==, 1);
  out = message_at (f->store[ALICE], 0);
  g_assert_cmpint (hail_store_message_get_state (out), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_nonnull (hail_store_message_get_reason (out));
  g_assert_cmpuint (f->received->len, ==, 0);
}

static void
test_retransmission_stored_once (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GListModel) messages = NULL;

  /* Two rows the sender kept with the same Call-ID and CSeq: the peer
   * gets the same MESSAGE twice in two transactions. */
  add_pending (f, "twice-1", 1, "only once please");
  add_pending (f, "twice-1", 1, "only once please");
  resend_and_wait (f);
  g_assert_cmpuint (f->n_sent, ==, 2);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  g_assert_false (hail_test_wait_until (two_received, f, 300));
  messages = all_messages (f->store[BOB]);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
}

static gboolean
composing_stopped (gpointer data)
{
  Fixture *f = data;

  return f->composing_events >= 2 && !f->composing;
}

static gboolean
composing_started (gpointer data)
{
  return ((Fixture *) data)->composing;
}

static void
test_composing_both_ways (Fixture       *f,
                          gconstpointer  data)
{
  hail_chat_set_composing_timers (f->chat[ALICE], 100, 60000);
  hail_chat_typing (f->chat[ALICE], f->uri[BOB]);
  hail_chat_typing (f->chat[ALICE], f->uri[BOB]);
  g_assert_true (hail_test_wait_until (composing_started, f, 5000));
  g_assert_cmpuint (f->composing_events, ==, 1);
  /* After the idle timeout alice says idle, and bob's side goes idle. */
  g_assert_true (hail_test_wait_until (composing_stopped, f, 5000));
  g_assert_cmpuint (f->composing_events, ==, 2);
}

static gboolean
delivered (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HailStoreMessage) out = message_at (f->store[ALICE], 0);

  return hail_store_message_get_state (out) == HAIL_STORE_MESSAGE_STATE_DELIVERED;
}

static gboolean
displayed (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HailStoreMessage) out = message_at (f->store[ALICE], 0);

  return hail_store_message_get_state (out) == HAIL_STORE_MESSAGE_STATE_DISPLAYED;
}

static void
test_imdn_delivery (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HailStoreMessage) out = NULL;
  g_autoptr(HailStoreMessage) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_proxy = g_strdup_printf ("sip:%s", strchr (f->uri[ALICE], '@') + 1);

  /* The notification goes to alice's address of record, which only a
   * proxy can reach: here alice's own socket plays the proxy. */
  g_assert_true (hail_account_set_proxy (f->account[BOB], alice_proxy, &error));
  hail_chat_set_imdn (f->chat[ALICE], TRUE);
  hail_chat_set_imdn (f->chat[BOB], TRUE);
  send_and_wait (f, f->uri[BOB], "tell me when you have it");
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  g_assert_cmpstr (g_ptr_array_index (f->received, 0), ==, "tell me when you have it");
  g_assert_true (hail_test_wait_until (delivered, f, 5000));
  out = message_at (f->store[ALICE], 0);
  g_assert_nonnull (hail_store_message_get_imdn_id (out));

  /* bob reads it: a display notification, which alice records. */
  in = message_at (f->store[BOB], 0);
  g_assert_cmpstr (hail_store_message_get_imdn_id (in), ==, hail_store_message_get_imdn_id (out));
  hail_chat_notify_displayed (f->chat[BOB], "sip:alice@example.test",
                              hail_store_message_get_imdn_id (in));
  g_assert_true (hail_test_wait_until (displayed, f, 5000));
}

static void
test_without_history (Fixture       *f,
                      gconstpointer  data)
{
  send_and_wait (f, f->uri[BOB], "not kept");
  g_assert_true (f->ok);
  g_assert_cmpint (f->id, ==, 0);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  resend_and_wait (f);
  g_assert_cmpuint (f->n_sent, ==, 0);
}

static void
resend_one_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_chat_resend_message_finish (HAIL_CHAT (source), result, &f->status, &f->error);
  f->done = TRUE;
}

static void
resend_one_and_wait (Fixture *f,
                     gint64   id)
{
  f->done = FALSE;
  f->status = 0;
  g_clear_error (&f->error);
  hail_chat_resend_message_async (f->chat[ALICE], id, NULL, resend_one_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
}

static void
state_cb (HailChat   *chat,
          gint64      id,
          guint       state,
          guint       status,
          const char *reason,
          GArray     *states)
{
  g_array_append_val (states, state);
}

static void
test_resend_chosen_message (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (2);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(HailStoreMessage) first = NULL;
  g_autoptr(HailStoreMessage) second = NULL;
  gint64 first_id, second_id;

  send_and_wait (f, carol, "first");
  g_assert_false (f->ok);
  g_assert_cmpuint (f->status, ==, 480);
  first_id = f->id;
  g_clear_error (&f->error);
  send_and_wait (f, carol, "second");
  g_assert_false (f->ok);
  second_id = f->id;
  g_clear_error (&f->error);
  g_assert_cmpuint (peer->messages->len, ==, 2);

  g_signal_connect (f->chat[ALICE], "message-state", G_CALLBACK (state_cb), states);
  resend_one_and_wait (f, second_id);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->status, ==, 200);
  /* Exactly the chosen message went out again, under its own Call-ID. */
  g_assert_cmpuint (peer->messages->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (peer->messages, 2), ==,
                   g_ptr_array_index (peer->messages, 1));
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpuint (g_array_index (states, guint, 0), ==, HAIL_STORE_MESSAGE_STATE_SENDING);
  g_assert_cmpuint (g_array_index (states, guint, 1), ==, HAIL_STORE_MESSAGE_STATE_SENT);

  first = message_at (f->store[ALICE], 0);
  second = message_at (f->store[ALICE], 1);
  g_assert_cmpint (hail_store_message_get_id (first), ==, first_id);
  g_assert_cmpint (hail_store_message_get_state (first), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (first), ==, 480);
  g_assert_cmpint (hail_store_message_get_id (second), ==, second_id);
  g_assert_cmpint (hail_store_message_get_state (second), ==, HAIL_STORE_MESSAGE_STATE_SENT);
  g_assert_cmpuint (hail_store_message_get_status (second), ==, 200);
  g_signal_handlers_disconnect_by_data (f->chat[ALICE], states);
}

static void
test_resend_chosen_refused_again (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (2);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  g_autoptr(HailStoreMessage) out = NULL;

  send_and_wait (f, carol, "twice refused");
  g_clear_error (&f->error);
  resend_one_and_wait (f, f->id);
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 480);
  out = message_at (f->store[ALICE], 0);
  g_assert_cmpint (hail_store_message_get_state (out), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (out), ==, 480);
  g_assert_nonnull (hail_store_message_get_reason (out));
}

static void
test_resend_chosen_only_failed (Fixture       *f,
                                gconstpointer  data)
{
  send_and_wait (f, f->uri[BOB], "delivered already");
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (one_received, f, 5000));
  resend_one_and_wait (f, f->id);
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  resend_one_and_wait (f, f->id + 1000);
  g_assert_error (f->error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  /* Nothing reached bob a second time. */
  g_assert_cmpuint (f->received->len, ==, 1);
}

static void
test_resend_chosen_not_twice_at_once (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (1);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  g_autoptr(GError) error = NULL;

  send_and_wait (f, carol, "click click");
  g_clear_error (&f->error);
  /* Two clicks in one turn of the main loop: the second is refused. */
  f->done = FALSE;
  hail_chat_resend_message_async (f->chat[ALICE], f->id, NULL, resend_one_cb, f);
  resend_one_and_wait (f, f->id);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&f->error);
  f->done = FALSE;
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (peer->messages->len, ==, 2);
}

/* Stops the file as soon as its row is stored: from then on the chat
 * reads the file for its SHA-1. */
static void
cancel_when_sending_cb (HailChat     *chat,
                        gint64        id,
                        guint         state,
                        guint         status,
                        const char   *reason,
                        GCancellable *cancellable)
{
  if (state == HAIL_STORE_MESSAGE_STATE_SENDING)
    g_cancellable_cancel (cancellable);
}

static void
transfer_added_cb (HailChat          *chat,
                   HailChatTransfer  *transfer,
                   HailChatTransfer **out)
{
  g_set_object (out, transfer);
}

static void
send_file_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_chat_send_file_finish (HAIL_CHAT (source), result, &f->error);
  f->done = TRUE;
}

static gboolean
offered_cb (HailChat      *chat,
            HailChatOffer *offer,
            gboolean      *offered)
{
  *offered = TRUE;
  return FALSE;
}

static gboolean
first_failed (gpointer data)
{
  g_autoptr(HailStoreMessage) row = message_at (data, 0);

  return hail_store_message_get_state (row) == HAIL_STORE_MESSAGE_STATE_FAILED;
}

/* A send cancelled while the file is hashed (in a worker thread) ends
 * CANCELLED before any INVITE, and its row stays, FAILED, for a retry. */
static void
test_file_cancelled_while_hashing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.bin", NULL);
  g_autofree char *contents = g_malloc0 (8 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HailChatTransfer) transfer = NULL;
  g_autoptr(HailStoreMessage) row = NULL;
  g_autoptr(GError) error = NULL;
  gboolean offered = FALSE;

  g_file_set_contents (path, contents, 8 * 1024 * 1024, &error);
  g_assert_no_error (error);
  g_signal_connect (f->chat[ALICE], "message-state", G_CALLBACK (cancel_when_sending_cb),
                    cancellable);
  g_signal_connect (f->chat[ALICE], "transfer-added", G_CALLBACK (transfer_added_cb),
                    &transfer);
  g_signal_connect (f->chat[BOB], "session-offer", G_CALLBACK (offered_cb), &offered);
  f->done = FALSE;
  hail_chat_send_file_async (f->chat[ALICE], f->uri[BOB], file, cancellable, send_file_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_false (f->ok);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (transfer);
  g_assert_cmpint (hail_chat_transfer_get_state (transfer), ==, HAIL_CHAT_TRANSFER_CANCELLED);
  g_assert_true (hail_test_wait_until (first_failed, f->store[ALICE], 10000));
  row = message_at (f->store[ALICE], 0);
  g_assert_cmpstr (hail_store_message_get_reason (row), ==, "cancelled");
  g_assert_cmpstr (hail_store_message_get_file_name (row), ==, "big.bin");
  g_assert_false (offered);
  g_signal_handlers_disconnect_by_data (f->chat[ALICE], cancellable);
  g_signal_handlers_disconnect_by_data (f->chat[ALICE], &transfer);
  g_signal_handlers_disconnect_by_data (f->chat[BOB], &offered);
  g_remove (path);
}

/* What an outgoing transfer went through: each state, with the INVITEs
 * alice had sent and the bytes hashed when it was entered. */
typedef struct {
  HailChatTransfer *transfer;
  GArray           *states;
  GArray           *invites;
  GArray           *hashed;
  guint             n_invites;
} Phases;

static void
phase_note (Phases *p)
{
  HailChatTransferState state = hail_chat_transfer_get_state (p->transfer);
  guint64 hashed = hail_chat_transfer_get_hashed (p->transfer);

  g_array_append_val (p->states, state);
  g_array_append_val (p->invites, p->n_invites);
  g_array_append_val (p->hashed, hashed);
}

static void
phase_state_cb (HailChatTransfer *transfer,
                GParamSpec       *pspec,
                Phases           *p)
{
  phase_note (p);
}

static void
phase_added_cb (HailChat         *chat,
                HailChatTransfer *transfer,
                Phases           *p)
{
  g_set_object (&p->transfer, transfer);
  phase_note (p);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (phase_state_cb), p);
}

/* Counts the INVITEs alice sends (retransmissions too: only zero or not
 * matters). */
static void
phase_invite_cb (HailAccount *account,
                 gboolean     outgoing,
                 const char  *transport,
                 const char  *peer,
                 GBytes      *bytes,
                 Phases      *p)
{
  if (outgoing && hail_test_sip_is_request (bytes, "INVITE"))
    p->n_invites++;
}

/* Sends a 1 MB file to @to, noting its phases; waits for the end. */
static void
send_noting_phases (Fixture    *f,
                    const char *to,
                    Phases     *p)
{
  g_autofree char *path = g_build_filename (f->dir, "report.bin", NULL);
  g_autofree char *contents = g_malloc0 (1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  p->states = g_array_new (FALSE, FALSE, sizeof (HailChatTransferState));
  p->invites = g_array_new (FALSE, FALSE, sizeof (guint));
  p->hashed = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_file_set_contents (path, contents, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_signal_connect (f->chat[ALICE], "transfer-added", G_CALLBACK (phase_added_cb), p);
  g_signal_connect (f->account[ALICE], "sip-message", G_CALLBACK (phase_invite_cb), p);
  f->done = FALSE;
  g_clear_error (&f->error);
  hail_chat_send_file_async (f->chat[ALICE], to, file, NULL, send_file_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_signal_handlers_disconnect_by_data (f->chat[ALICE], p);
}

static void
phases_clear (Fixture *f,
              Phases  *p)
{
  g_autofree char *path = g_build_filename (f->dir, "report.bin", NULL);

  g_signal_handlers_disconnect_by_data (f->account[ALICE], p);
  if (p->transfer != NULL)
    g_signal_handlers_disconnect_by_data (p->transfer, p);
  g_clear_object (&p->transfer);
  g_clear_pointer (&p->states, g_array_unref);
  g_clear_pointer (&p->invites, g_array_unref);
  g_clear_pointer (&p->hashed, g_array_unref);
  g_remove (path);
}

#define PHASE(p, i) g_array_index ((p)->states, HailChatTransferState, i)

/* The file is PREPARING (hashed) before any INVITE leaves, then
 * CONNECTING once hashed, when the INVITE goes. */
static void
test_file_prepares_then_offers (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (0);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  Phases p = { 0 };

  send_noting_phases (f, carol, &p);
  g_assert_cmpuint (p.states->len, ==, 3);
  g_assert_cmpint (PHASE (&p, 0), ==, HAIL_CHAT_TRANSFER_PREPARING);
  g_assert_cmpuint (g_array_index (p.invites, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (p.hashed, guint64, 0), ==, 0);
  g_assert_cmpint (PHASE (&p, 1), ==, HAIL_CHAT_TRANSFER_CONNECTING);
  g_assert_cmpuint (g_array_index (p.invites, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (p.hashed, guint64, 1), ==, 1024 * 1024);
  /* The peer answered with audio only, after the INVITE. */
  g_assert_cmpint (PHASE (&p, 2), ==, HAIL_CHAT_TRANSFER_FAILED);
  g_assert_cmpuint (g_array_index (p.invites, guint, 2), >, 0);
  phases_clear (f, &p);
}

/* The user's Cancel as soon as the row is stored, while PREPARING. */
static void
cancel_transfer_when_sending_cb (HailChat   *chat,
                                 gint64      id,
                                 guint       state,
                                 guint       status,
                                 const char *reason,
                                 Phases     *p)
{
  if (state != HAIL_STORE_MESSAGE_STATE_SENDING || p->transfer == NULL)
    return;
  g_assert_cmpint (hail_chat_transfer_get_state (p->transfer), ==, HAIL_CHAT_TRANSFER_PREPARING);
  hail_chat_transfer_cancel (p->transfer);
}

/* Cancel works while the file is PREPARING: it ends CANCELLED, no INVITE
 * leaves, and the row stays for a retry. */
static void
test_file_cancel_while_preparing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (0);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  g_autoptr(HailStoreMessage) row = NULL;
  Phases p = { 0 };

  g_signal_connect (f->chat[ALICE], "message-state",
                    G_CALLBACK (cancel_transfer_when_sending_cb), &p);
  send_noting_phases (f, carol, &p);
  g_assert_false (f->ok);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (p.states->len, ==, 2);
  g_assert_cmpint (PHASE (&p, 0), ==, HAIL_CHAT_TRANSFER_PREPARING);
  g_assert_cmpint (PHASE (&p, 1), ==, HAIL_CHAT_TRANSFER_CANCELLED);
  g_assert_cmpuint (p.n_invites, ==, 0);
  g_assert_true (hail_test_wait_until (first_failed, f->store[ALICE], 10000));
  row = message_at (f->store[ALICE], 0);
  g_assert_cmpstr (hail_store_message_get_reason (row), ==, "cancelled");
  phases_clear (f, &p);
}

static void
retry_file_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_chat_transfer_retry_finish (HAIL_CHAT_TRANSFER (source), result, &f->error);
  f->done = TRUE;
}

/* A peer whose app answers a file offer with audio only (a phone) takes
 * no files: the transfer FAILED, not DECLINED, says so, and can be sent
 * again, PREPARING first. */
static void
test_file_peer_takes_no_files (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TestSipPeer) peer = test_sip_peer_new (0);
  g_autofree char *carol = test_sip_peer_uri (peer, "carol");
  g_autoptr(HailStoreMessage) row = NULL;
  Phases p = { 0 };
  guint before;

  send_noting_phases (f, carol, &p);
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
  g_assert_cmpint (hail_chat_transfer_get_state (p.transfer), ==, HAIL_CHAT_TRANSFER_FAILED);
  g_assert_true (hail_chat_transfer_is_unsupported (p.transfer));
  g_assert_cmpstr (hail_chat_transfer_get_reason (p.transfer), ==,
                   "the other side's app cannot take this file");
  g_assert_true (hail_test_wait_until (first_failed, f->store[ALICE], 10000));
  row = message_at (f->store[ALICE], 0);
  g_assert_cmpstr (hail_store_message_get_reason (row), ==,
                   "the other side's app cannot take this file");

  before = p.states->len;
  f->done = FALSE;
  g_clear_error (&f->error);
  hail_chat_transfer_retry_async (p.transfer, NULL, retry_file_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_false (f->ok);
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
  g_assert_cmpint (PHASE (&p, before), ==, HAIL_CHAT_TRANSFER_PREPARING);
  g_assert_true (hail_chat_transfer_is_unsupported (p.transfer));
  phases_clear (f, &p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) \
  g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/core/chat/send-stores-then-sends", test_send_stores_then_sends, NULL);
  ADD ("/core/chat/send-failure-recorded", test_send_failure_recorded, NULL);
  ADD ("/core/chat/invalid-uri-not-stored", test_invalid_uri_not_stored, NULL);
  ADD ("/core/chat/resend-pending-same-call-id", test_resend_pending_same_call_id, NULL);
  ADD ("/core/chat/resend-only-once", test_resend_only_once, NULL);
  ADD ("/core/chat/retransmission-stored-once", test_retransmission_stored_once, NULL);
  ADD ("/core/chat/composing-both-ways", test_composing_both_ways, NULL);
  ADD ("/core/chat/imdn-delivery-and-display", test_imdn_delivery, NULL);
  ADD ("/core/chat/without-history", test_without_history, "no-store");
  ADD ("/core/chat/resend-chosen-message", test_resend_chosen_message, NULL);
  ADD ("/core/chat/resend-chosen-refused-again", test_resend_chosen_refused_again, NULL);
  ADD ("/core/chat/resend-chosen-only-failed", test_resend_chosen_only_failed, NULL);
  ADD ("/core/chat/resend-chosen-not-twice-at-once", test_resend_chosen_not_twice_at_once,
       NULL);
  ADD ("/core/chat/file-cancelled-while-hashing", test_file_cancelled_while_hashing, NULL);
  ADD ("/core/chat/file-prepares-then-offers", test_file_prepares_then_offers, NULL);
  ADD ("/core/chat/file-peer-takes-no-files", test_file_peer_takes_no_files, NULL);
  ADD ("/core/chat/file-cancel-while-preparing", test_file_cancel_while_preparing, NULL);
#undef ADD

  return g_test_run ();
}
