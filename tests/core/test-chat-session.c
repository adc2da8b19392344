/* test-chat-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Session-mode chat between two real accounts on 127.0.0.1 (SIP over UDP,
 * MSRP over TCP), each with its own history: long texts by session mode,
 * the session reused and ended when idle, a refused session falling back
 * to a MESSAGE over TCP, files both within and beyond the size limits
 * (streamed to disk as "NAME.part", a sender lying about the size or the
 * SHA-1, a file cut short while sent), offers held, declined, timed out
 * or withdrawn by the peer, stale parts removed at start, and a failed
 * file retried from its history row after both sides restarted.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hail-chat.h"
#include "hail-chat-session.h"
#include "hail-sip-error.h"
#include "hail-store-error.h"
#include "hail-test-util.h"

#define WAIT_MS 20000

typedef struct {
  char        *dir;
  HailAccount *account[2];
  HailStore   *store[2];
  HailChat    *chat[2];
  char        *uri[2];
  GPtrArray   *received;       /* Bodies bob's chat reported. */
  GPtrArray   *received_mode;  /* "pager" or "session", for each. */
  HailChatTransfer *transfer[2]; /* The last transfer each side reported. */
  HailChatOffer *offer;        /* The last offer bob's chat made. */
  char        *downloads;      /* Bob's download directory. */
  gboolean     hold_offers;    /* Take offers and decide later. */
  guint        n_offers;
  guint        n_progress[2];
  guint        n_invites;      /* INVITEs alice sent (not retransmissions). */
  char        *last_invite;    /* Its Call-ID line. */
  guint        n_byes;         /* BYEs either side sent. */
  gboolean     take_sessions;
  char        *cut_short;      /* Truncated at alice's first acknowledged byte. */
  gboolean     done;
  gboolean     ok;
  HailStoreMessageMode mode;
  GError      *error;
} Fixture;

enum { ALICE, BOB };

static void
received_pager_cb (HailChat   *chat,
                   const char *from,
                   const char *content_type,
                   const char *body,
                   Fixture    *f)
{
  g_ptr_array_add (f->received, g_strdup (body));
  g_ptr_array_add (f->received_mode, g_strdup ("pager"));
}

static void
received_session_cb (HailChat   *chat,
                     const char *from,
                     const char *content_type,
                     const char *body,
                     Fixture    *f)
{
  g_assert_cmpstr (from, ==, "sip:alice@example.test");
  g_ptr_array_add (f->received, g_strdup (body));
  g_ptr_array_add (f->received_mode, g_strdup ("session"));
}

static gboolean
session_offer_cb (HailChat      *chat,
                  HailChatOffer *offer,
                  Fixture       *f)
{
  g_set_object (&f->offer, offer);
  f->n_offers++;
  if (f->hold_offers)
    return TRUE;
  if (f->take_sessions)
    hail_chat_offer_accept (offer);
  else
    hail_chat_offer_decline (offer);
  return TRUE;
}

static void
transfer_done_cb (HailChatTransfer *transfer,
                  GParamSpec       *pspec,
                  Fixture          *f)
{
  g_assert_cmpuint (hail_chat_transfer_get_done (transfer), <=,
                    hail_chat_transfer_get_size (transfer));
  f->n_progress[hail_chat_transfer_is_outgoing (transfer) ? ALICE : BOB]++;
  if (hail_chat_transfer_is_outgoing (transfer) && f->cut_short != NULL
      && hail_chat_transfer_get_done (transfer) > 0)
    {
      g_assert_cmpint (truncate (f->cut_short, 1000), ==, 0);
      g_clear_pointer (&f->cut_short, g_free);
    }
}

static void
transfer_added_cb (HailChat         *chat,
                   HailChatTransfer *transfer,
                   Fixture          *f)
{
  guint side = hail_chat_transfer_is_outgoing (transfer) ? ALICE : BOB;

  g_assert_true (chat == f->chat[side]);
  g_set_object (&f->transfer[side], transfer);
  g_signal_connect (transfer, "notify::done", G_CALLBACK (transfer_done_cb), f);
}

/* Counts requests as they leave, from the SIP traces. */
static void
sip_message_cb (HailAccount *account,
                gboolean     outgoing,
                const char  *transport,
                const char  *peer,
                GBytes      *bytes,
                Fixture     *f)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!outgoing)
    return;
  if (hail_test_sip_is_request (bytes, "INVITE") && account == f->account[ALICE])
    {
      /* Retransmissions (T1 is short here) carry the same branch: count
       * distinct CSeq/Call-ID pairs by their Call-ID line. */
      const char *call_id = g_strstr_len (data, len, "Call-ID: ");
      const char *end = call_id != NULL ? strstr (call_id, "\r\n") : NULL;
      g_autofree char *id = call_id != NULL && end != NULL ? g_strndup (call_id, end - call_id)
                                                           : NULL;

      if (g_strcmp0 (id, f->last_invite) != 0)
        {
          f->n_invites++;
          g_free (f->last_invite);
          f->last_invite = g_steal_pointer (&id);
        }
    }
  if (hail_test_sip_is_request (bytes, "BYE"))
    f->n_byes++;
}

/* Bob's side of the chat, as a fresh start of Hail would set it up. */
static void
connect_bob (Fixture *f)
{
  g_autoptr(GFile) downloads = g_file_new_for_path (f->downloads);

  g_signal_connect (f->chat[BOB], "message-received::pager", G_CALLBACK (received_pager_cb), f);
  g_signal_connect (f->chat[BOB], "message-received::session",
                    G_CALLBACK (received_session_cb), f);
  g_signal_connect (f->chat[BOB], "session-offer", G_CALLBACK (session_offer_cb), f);
  hail_chat_set_download_dir (f->chat[BOB], downloads);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *aors[] = { "sip:alice@example.test", "sip:bob@example.test" };
  const char *names[] = { "alice", "bob" };

  f->dir = g_dir_make_tmp ("hail-chat-session-XXXXXX", NULL);
  f->received = g_ptr_array_new_with_free_func (g_free);
  f->received_mode = g_ptr_array_new_with_free_func (g_free);
  f->take_sessions = TRUE;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) bound = NULL;
      g_autofree char *path = g_strdup_printf ("%s/%s.db", f->dir, names[i]);
      HailSipTarget *udp;

      f->account[i] = hail_account_new (aors[i], &error);
      g_assert_no_error (error);
      hail_account_set_t1 (f->account[i], 50);
      bound = hail_account_start (f->account[i], "127.0.0.1:0", &error);
      g_assert_no_error (error);
      udp = g_ptr_array_index (bound, 0);
      f->uri[i] = g_strdup_printf ("sip:%s@127.0.0.1:%u", names[i],
                                   g_inet_socket_address_get_port (udp->address));
      f->store[i] = hail_store_new_sync (path, &error);
      g_assert_no_error (error);
      f->chat[i] = hail_chat_new (f->account[i], f->store[i]);
      g_signal_connect (f->account[i], "sip-message", G_CALLBACK (sip_message_cb), f);
      g_signal_connect (f->chat[i], "transfer-added", G_CALLBACK (transfer_added_cb), f);
    }
  f->downloads = g_build_filename (f->dir, "downloads", NULL);
  g_assert_cmpint (g_mkdir (f->downloads, 0700), ==, 0);
  connect_bob (f);
}

static int
sort_names (gconstpointer a,
            gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in bob's download directory, sorted, joined by "|". */
static char *
downloads (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->downloads, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, sort_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

static void
assert_downloads (Fixture    *f,
                  const char *expected)
{
  g_autofree char *listing = downloads (f);

  g_assert_cmpstr (listing, ==, expected);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_error (&f->error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *db = g_strdup_printf ("%s/%s.db", f->dir, i == 0 ? "alice" : "bob");
      g_autofree char *wal = g_strdup_printf ("%s-wal", db);
      g_autofree char *shm = g_strdup_printf ("%s-shm", db);

      g_signal_handlers_disconnect_by_data (f->account[i], f);
      g_assert_finalize_object (f->chat[i]);
      g_clear_object (&f->store[i]);
      g_object_unref (f->account[i]);
      g_free (f->uri[i]);
      g_remove (db);
      g_remove (wal);
      g_remove (shm);
    }
  g_ptr_array_unref (f->received);
  g_ptr_array_unref (f->received_mode);
  for (guint i = 0; i < 2; i++)
    if (f->transfer[i] != NULL)
      {
        g_signal_handlers_disconnect_by_data (f->transfer[i], f);
        g_clear_object (&f->transfer[i]);
      }
  g_clear_object (&f->offer);
  g_free (f->cut_short);
  hail_test_remove_tree (f->downloads);
  g_free (f->downloads);
  g_free (f->last_invite);
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

  g_clear_error (&f->error);
  f->ok = hail_chat_send_finish_full (HAIL_CHAT (source), result, NULL, NULL, &f->mode,
                                      &f->error);
  f->done = TRUE;
}

static void
send_and_wait (Fixture    *f,
               const char *text)
{
  f->done = FALSE;
  hail_chat_send_async (f->chat[ALICE], f->uri[BOB], text, NULL, send_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
}

static gboolean
n_received (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return f->received->len >= n;
}

static void
wait_received (Fixture *f,
               guint    n)
{
  gpointer data[] = { f, GUINT_TO_POINTER (n) };

  g_assert_true (hail_test_wait_until (n_received, data, WAIT_MS));
}

/* Text of exactly @size bytes, multi-byte UTF-8 included. */
static char *
long_text (gsize size)
{
  GString *s = g_string_new (NULL);

  while (s->len + strlen ("é世🎉 ") <= size)
    g_string_append (s, "é世🎉 ");
  while (s->len < size)
    g_string_append_c (s, 'x');
  return g_string_free (s, FALSE);
}

static HailStoreMessage *
only_message (HailStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (store, &error);
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autoptr(GListModel) messages = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
  conversation = g_list_model_get_item (conversations, 0);
  messages = hail_store_list_messages_sync (store, hail_store_conversation_get_id (conversation),
                                            0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 1);
  return g_list_model_get_item (messages, 0);
}

static void
test_long_text (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *text = long_text (3000);
  g_autoptr(HailStoreMessage) ours = NULL;
  g_autoptr(HailStoreMessage) theirs = NULL;

  send_and_wait (f, text);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  wait_received (f, 1);
  g_assert_cmpstr (g_ptr_array_index (f->received, 0), ==, text);
  g_assert_cmpstr (g_ptr_array_index (f->received_mode, 0), ==, "session");
  g_assert_cmpuint (f->n_invites, ==, 1);
  ours = only_message (f->store[ALICE]);
  g_assert_cmpint (hail_store_message_get_mode (ours), ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  g_assert_cmpint (hail_store_message_get_state (ours), ==, HAIL_STORE_MESSAGE_STATE_SENT);
  theirs = only_message (f->store[BOB]);
  g_assert_cmpint (hail_store_message_get_mode (theirs), ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  g_assert_cmpstr (hail_store_message_get_body (theirs), ==, text);
}

/* A short text stays a MESSAGE on UDP. */
static void
test_short_text_pager (Fixture       *f,
                       gconstpointer  data)
{
  send_and_wait (f, "short");
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_PAGER);
  wait_received (f, 1);
  g_assert_cmpstr (g_ptr_array_index (f->received_mode, 0), ==, "pager");
  g_assert_cmpuint (f->n_invites, ==, 0);
}

static void
test_reuse (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *one = long_text (2000);
  g_autofree char *two = long_text (5000);

  send_and_wait (f, one);
  g_assert_true (f->ok);
  send_and_wait (f, two);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  wait_received (f, 2);
  g_assert_cmpstr (g_ptr_array_index (f->received, 1), ==, two);
  g_assert_cmpuint (f->n_invites, ==, 1);
}

static gboolean
one_bye (gpointer data)
{
  return ((Fixture *) data)->n_byes >= 1;
}

static void
test_idle_close (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = long_text (2000);

  hail_chat_set_session_idle_timeout (f->chat[ALICE], 1);
  send_and_wait (f, text);
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (one_bye, f, WAIT_MS));
  /* The next text opens a new session. */
  send_and_wait (f, text);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  g_assert_cmpuint (f->n_invites, ==, 2);
  wait_received (f, 2);
}

static gboolean
mode_is_pager (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) conversations = hail_store_list_conversations_sync (f->store[ALICE],
                                                                            &error);
  g_autoptr(HailStoreConversation) conversation = g_list_model_get_item (conversations, 0);
  g_autoptr(GListModel) messages =
    hail_store_list_messages_sync (f->store[ALICE], hail_store_conversation_get_id (conversation),
                                   0, 10, &error);
  g_autoptr(HailStoreMessage) message = g_list_model_get_item (messages, 0);

  return hail_store_message_get_mode (message) == HAIL_STORE_MESSAGE_MODE_PAGER;
}

/* Bob takes no session (488): the text goes as a MESSAGE over TCP. */
static void
test_refused_falls_back (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *text = long_text (3000);

  f->take_sessions = FALSE;
  send_and_wait (f, text);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_PAGER);
  wait_received (f, 1);
  g_assert_cmpstr (g_ptr_array_index (f->received, 0), ==, text);
  g_assert_cmpstr (g_ptr_array_index (f->received_mode, 0), ==, "pager");
  g_assert_cmpuint (f->n_invites, ==, 1);
  g_assert_true (hail_test_wait_until (mode_is_pager, f, WAIT_MS));
}

static void
file_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  f->ok = hail_chat_send_file_finish (HAIL_CHAT (source), result, &f->error);
  f->done = TRUE;
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Alice sends @file to bob; returns once @until holds. */
static void
send_file_until (Fixture     *f,
                 GFile       *file,
                 GSourceFunc  until)
{
  f->done = FALSE;
  hail_chat_send_file_async (f->chat[ALICE], f->uri[BOB], file, NULL, file_cb, f);
  g_assert_true (hail_test_wait_until (until, f, WAIT_MS));
}

static void
send_file_and_wait (Fixture *f,
                    GFile   *file)
{
  send_file_until (f, file, is_done);
}

static gboolean
file_arrived (gpointer data)
{
  Fixture *f = data;

  return f->transfer[BOB] != NULL
         && hail_chat_transfer_get_state (f->transfer[BOB]) == HAIL_CHAT_TRANSFER_DONE;
}

static gboolean
transfer_over (HailChatTransfer *transfer)
{
  return transfer != NULL && hail_chat_transfer_get_state (transfer) >= HAIL_CHAT_TRANSFER_DONE;
}

static gboolean
bob_transfer_over (gpointer data)
{
  return transfer_over (((Fixture *) data)->transfer[BOB]);
}

static gboolean
alice_transfer_over (gpointer data)
{
  return transfer_over (((Fixture *) data)->transfer[ALICE]);
}

static void
assert_transfer_state (Fixture               *f,
                       guint                  side,
                       HailChatTransferState  state)
{
  g_assert_nonnull (f->transfer[side]);
  g_assert_cmpint (hail_chat_transfer_get_state (f->transfer[side]), ==, state);
}

/* The one row of @store's one conversation, in @state. */
static HailStoreMessage *
only_message_in (HailStore             *store,
                 HailStoreMessageState  state)
{
  HailStoreMessage *row = only_message (store);

  g_assert_cmpint (hail_store_message_get_state (row), ==, state);
  return row;
}

/* Bob's copy of @file is whole, under its own name. */
static void
assert_file_received (Fixture *f,
                      GFile   *file)
{
  g_autofree char *contents = NULL;
  g_autofree char *received = NULL;
  gsize len;
  gsize received_len;

  assert_downloads (f, "some file.bin");
  g_assert_true (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL));
  g_assert_true (g_file_load_contents (hail_chat_transfer_get_file (f->transfer[BOB]), NULL,
                                       &received, &received_len, NULL, NULL));
  g_assert_cmpmem (received, received_len, contents, len);
}

/* A file streams to "NAME.part" in the download directory and takes its
 * name once whole; both histories hold it as a file row. */
static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "some file.bin", 700 * 1000);
  g_autoptr(HailStoreMessage) sent = NULL;
  g_autoptr(HailStoreMessage) got = NULL;
  g_autofree char *uri = NULL;

  send_file_and_wait (f, file);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_DONE);
  g_assert_cmpuint (hail_chat_transfer_get_done (f->transfer[ALICE]), ==, 700 * 1000);
  g_assert_cmpuint (hail_chat_transfer_get_done (f->transfer[BOB]), ==, 700 * 1000);
  g_assert_cmpstr (hail_chat_transfer_get_name (f->transfer[BOB]), ==, "some file.bin");
  g_assert_null (hail_chat_transfer_get_reason (f->transfer[BOB]));
  assert_file_received (f, file);
  g_assert_cmpuint (f->n_progress[ALICE], >, 0);
  g_assert_cmpuint (f->n_progress[BOB], >, 0);

  /* The rows follow the transfers (the store's worker keeps the order). */
  sent = only_message_in (f->store[ALICE], HAIL_STORE_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (hail_store_message_get_id (sent), ==,
                   hail_chat_transfer_get_id (f->transfer[ALICE]));
  g_assert_cmpstr (hail_store_message_get_file_name (sent), ==, "some file.bin");
  g_assert_cmpuint (hail_store_message_get_file_size (sent), ==, 700 * 1000);
  g_assert_cmpint (hail_store_message_get_mode (sent), ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  got = only_message_in (f->store[BOB], HAIL_STORE_MESSAGE_STATE_DELIVERED);
  uri = g_file_get_uri (hail_chat_transfer_get_file (f->transfer[BOB]));
  g_assert_cmpstr (hail_store_message_get_file_uri (got), ==, uri);
  g_assert_cmpint (hail_store_message_get_direction (got), ==, HAIL_STORE_DIRECTION_IN);
  g_file_delete (file, NULL, NULL);
}

/* A name already taken gets " (1)" before its extension. */
static void
test_file_name_taken (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "some file.bin", 3000);
  g_autofree char *taken = g_build_filename (f->downloads, "some file.bin", NULL);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (taken, "mine", -1, &error);
  g_assert_no_error (error);
  send_file_and_wait (f, file);
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  name = g_file_get_basename (hail_chat_transfer_get_file (f->transfer[BOB]));
  g_assert_cmpstr (name, ==, "some file (1).bin");
  assert_downloads (f, "some file (1).bin|some file.bin");
  g_file_delete (file, NULL, NULL);
}

/* Alice sends 5000 bytes with @side's file size limit at 4999. */
static GFile *
send_over_limit (Fixture *f,
                 guint    side)
{
  GFile *file = write_file (f, "big.bin", 5000);

  hail_chat_set_max_file_size (f->chat[side], 4999);
  send_file_and_wait (f, file);
  return file;
}

static void
test_file_over_own_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = send_over_limit (f, ALICE);

  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_cmpuint (f->n_invites, ==, 0);
  g_file_delete (file, NULL, NULL);
}

static void
test_file_over_peer_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = send_over_limit (f, BOB);

  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 488);
  /* Refused before anyone was asked or anything written. */
  g_assert_cmpuint (f->n_offers, ==, 0);
  g_assert_null (f->transfer[BOB]);
  /* Not the user's no: Retry stays, should the limit be raised. */
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_FAILED);
  g_assert_true (hail_chat_transfer_is_unsupported (f->transfer[ALICE]));
  assert_downloads (f, "");
  g_file_delete (file, NULL, NULL);
}

static void
test_file_declined (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "small.bin", 100);

  f->take_sessions = FALSE;
  send_file_and_wait (f, file);
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 603);
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_DECLINED);
  g_assert_nonnull (hail_chat_transfer_get_reason (f->transfer[ALICE]));
  g_file_delete (file, NULL, NULL);
}

/* The end of hail_chat_session_send_async() or of
 * hail_chat_transfer_retry_async(), whichever @source is. */
static void
finished_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  if (HAIL_IS_CHAT_TRANSFER (source))
    f->ok = hail_chat_transfer_retry_finish (HAIL_CHAT_TRANSFER (source), result, &f->error);
  else
    f->ok = hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &f->error);
  f->done = TRUE;
}

/* Alice's raw session sends 5000 zero bytes, whatever its selector said. */
static void
raw_opened_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GBytes) content = NULL;
  g_autofree guint8 *data = g_malloc0 (5000);

  g_clear_error (&f->error);
  if (!hail_chat_session_open_finish (HAIL_CHAT_SESSION (source), result, &f->error))
    {
      f->done = TRUE;
      return;
    }
  content = g_bytes_new (data, 5000);
  hail_chat_session_send_async (HAIL_CHAT_SESSION (source), "application/octet-stream",
                                content, NULL, finished_cb, f);
}

/* A file session of alice's own making, offering @selector to bob. */
static HailChatSession *
raw_send (Fixture                   *f,
          const HailSdpFileSelector *selector)
{
  g_autoptr(GError) error = NULL;
  HailChatSession *session;

  session = hail_chat_session_new_outgoing (f->account[ALICE], f->uri[BOB], selector, &error);
  g_assert_no_error (error);
  f->done = FALSE;
  hail_chat_session_open_async (session, NULL, raw_opened_cb, f);
  return session;
}

/* The end of a raw_send() that bob's transfer ends in @state: alice's
 * send succeeds only if bob kept the file, and @listing is what he has. */
static void
raw_send_finished (Fixture               *f,
                   HailChatTransferState  state,
                   const char            *listing)
{
  g_assert_true (hail_test_wait_until (bob_transfer_over, f, WAIT_MS));
  assert_transfer_state (f, BOB, state);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_cmpint (f->ok, ==, state == HAIL_CHAT_TRANSFER_DONE);
  assert_downloads (f, listing);
}

/* A sender whose a=file-selector says 1000 bytes and who sends 5000 gets
 * the transfer failed and nothing left on disk. */
static void
test_file_size_lie (Fixture       *f,
                    gconstpointer  data)
{
  HailSdpFileSelector selector = { .name = (char *) "lie.bin", .type = (char *) "text/plain",
                                   .size = 1000 };
  g_autoptr(HailChatSession) session = raw_send (f, &selector);

  raw_send_finished (f, HAIL_CHAT_TRANSFER_FAILED, "");
  g_assert_nonnull (strstr (hail_chat_transfer_get_reason (f->transfer[BOB]), "1000"));
  hail_chat_session_close (session);
}

static gboolean
bob_row_failed (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HailStoreMessage) row = only_message (f->store[BOB]);

  return hail_store_message_get_state (row) == HAIL_STORE_MESSAGE_STATE_FAILED;
}

/* raw_send() of "zeros.bin" whose a=file-selector says @hash. */
static HailChatSession *
raw_send_hashed (Fixture    *f,
                 const char *algorithm,
                 const char *hash)
{
  HailSdpFileSelector selector = {
    .name = (char *) "zeros.bin", .type = (char *) "application/octet-stream", .size = 5000,
    .hash_algorithm = (char *) algorithm, .hash = (char *) hash
  };

  return raw_send (f, &selector);
}

/* A sender whose a=file-selector hash is not the SHA-1 of what it sends:
 * the file is not kept, and bob's transfer says why. */
static void
test_file_hash_mismatch (Fixture       *f,
                         gconstpointer  data)
{
  /* The SHA-1 of 5000 bytes of 0x01, not of the zeros raw_send sends. */
  g_autoptr(HailChatSession) session =
    raw_send_hashed (f, "sha-1", "5F:C2:EB:60:25:18:3B:A6:90:30:86:F9:CE:05:2E:06:57:5A:47:E4");

  raw_send_finished (f, HAIL_CHAT_TRANSFER_FAILED, "");
  g_assert_cmpstr (hail_chat_transfer_get_reason (f->transfer[BOB]), ==,
                   "the file arrived damaged: its SHA-1 is not the one offered");
  /* The row is written, then takes the transfer's state: both queued. */
  g_assert_true (hail_test_wait_until (bob_row_failed, f, WAIT_MS));
  hail_chat_session_close (session);
}

/* The same sender with the right SHA-1 (lower case, as some write it)
 * gets its file kept. */
static void
test_file_hash_match (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HailChatSession) session =
    raw_send_hashed (f, "SHA-1", "04:4e:f4:8a:f2:64:fd:3e:30:4a:b9:e6:4f:96:56:f3:7a:f7:63:a6");

  raw_send_finished (f, HAIL_CHAT_TRANSFER_DONE, "zeros.bin");
  g_assert_cmpstr (hail_chat_transfer_get_reason (f->transfer[BOB]), ==, NULL);
  hail_chat_session_close (session);
}

static gboolean
has_offer (gpointer data)
{
  return ((Fixture *) data)->offer != NULL;
}

/* A name from the peer is only ever a name in the download directory:
 * decoded, without its directories, control characters or leading dots. */
static void
test_file_name_unsafe (Fixture       *f,
                       gconstpointer  data)
{
  HailSdpFileSelector selector = { .name = (char *) "..%2F..%2F.evil%0A.txt",
                                   .type = (char *) "text/plain", .size = 5000 };
  g_autoptr(HailChatSession) session = NULL;

  f->hold_offers = TRUE;
  session = raw_send (f, &selector);
  g_assert_true (hail_test_wait_until (has_offer, f, WAIT_MS));
  g_assert_cmpstr (hail_chat_offer_get_file_name (f->offer), ==, "evil.txt");
  hail_chat_offer_accept (f->offer);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  g_assert_cmpstr (hail_chat_transfer_get_name (f->transfer[BOB]), ==, "evil.txt");
  assert_downloads (f, "evil.txt");
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_true (f->ok);
  hail_chat_session_close (session);
}

static gboolean
offer_decided (gpointer data)
{
  Fixture *f = data;

  return f->offer != NULL && hail_chat_offer_get_decided (f->offer);
}

static void
offer_check_file (Fixture *f)
{
  g_assert_true (hail_chat_offer_is_file (f->offer));
  g_assert_cmpstr (hail_chat_offer_get_file_name (f->offer), ==, "held file.bin");
  g_assert_cmpuint (hail_chat_offer_get_file_size (f->offer), ==, 2000);
  g_assert_cmpstr (hail_chat_offer_get_remote (f->offer), ==, "sip:alice@example.test");
  g_assert_false (hail_chat_offer_get_decided (f->offer));
}

/* Alice sends a 2000-byte file that bob's handler holds; returns once
 * bob was asked. */
static GFile *
send_held_file (Fixture *f)
{
  GFile *file = write_file (f, "held file.bin", 2000);

  f->hold_offers = TRUE;
  send_file_until (f, file, has_offer);
  return file;
}

/* An offer the handler holds rings (the sender waits) until accepted. */
static void
test_offer_accepted_later (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = send_held_file (f);

  offer_check_file (f);
  /* Nothing is answered while the user thinks. */
  g_assert_false (hail_test_wait_until (is_done, f, 300));
  hail_chat_offer_accept (f->offer);
  g_assert_true (hail_chat_offer_get_decided (f->offer));
  /* A second answer does nothing. */
  hail_chat_offer_decline (f->offer);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_no_error (f->error);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  g_file_delete (file, NULL, NULL);
}

static void
test_offer_declined (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = send_held_file (f);

  hail_chat_offer_decline (f->offer);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 603);
  g_assert_null (f->transfer[BOB]);
  g_file_delete (file, NULL, NULL);
}

/* Nobody decides: 480 once the offer timeout passes. */
static void
test_offer_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  hail_chat_set_offer_timeout (f->chat[BOB], 1);
  file = send_held_file (f);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 480);
  g_assert_true (hail_chat_offer_get_decided (f->offer));
  /* Too late to take it. */
  hail_chat_offer_accept (f->offer);
  g_assert_null (f->transfer[BOB]);
  g_file_delete (file, NULL, NULL);
}

/* The sender gives up (CANCEL) while bob is asked: the offer is withdrawn. */
static void
test_offer_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = send_held_file (f);

  g_assert_nonnull (f->transfer[ALICE]);
  hail_chat_transfer_cancel (f->transfer[ALICE]);
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_CANCELLED);
  g_assert_true (hail_test_wait_until (offer_decided, f, WAIT_MS));
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_nonnull (f->error);
  g_assert_null (f->transfer[BOB]);
  g_file_delete (file, NULL, NULL);
}

/* Half the file is in bob's part (each main loop turn writes a chunk). */
static gboolean
half_written (gpointer data)
{
  Fixture *f = data;
  g_autofree char *part = g_build_filename (f->downloads, "some file.bin.part", NULL);
  GStatBuf st;

  return g_stat (part, &st) == 0 && st.st_size >= 3 * 1024 * 1024;
}

/* Bob's Hail stops while a 6 MiB file comes: alice's transfer fails and
 * bob keeps the part (the resumption's). */
static void
break_transfer (Fixture *f,
                GFile   *file)
{
  send_file_until (f, file, half_written);
  g_signal_handlers_disconnect_by_data (f->chat[BOB], f);
  g_clear_object (&f->chat[BOB]);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_FAILED);
  assert_downloads (f, "some file.bin|some file.bin.part");
}

static void
restart_bob (Fixture *f)
{
  f->chat[BOB] = hail_chat_new (f->account[BOB], f->store[BOB]);
  connect_bob (f);
  g_signal_connect (f->chat[BOB], "transfer-added", G_CALLBACK (transfer_added_cb), f);
}

/* The file arrived whole under its name after a resumption; returns the
 * bytes the last attempt skipped. */
static guint64
arrived_resumed (Fixture *f,
                 GFile   *file,
                 gsize    size)
{
  guint64 skipped = hail_chat_transfer_get_resumed_from (f->transfer[ALICE]);

  g_test_message ("resumed after %" G_GUINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes", skipped,
                  size);
  assert_file_received (f, file);
  return skipped;
}

/* RFC 5547 §9: bob's Hail stops mid-transfer; once it is back, alice's
 * retry offers the file from the first byte bob reported, and bob takes
 * it up in the part he kept: fewer bytes go again, the file is whole. */
static void
test_file_resumed (Fixture       *f,
                   gconstpointer  data)
{
  const gsize size = 6 * 1024 * 1024;
  g_autoptr(GFile) file = write_file (f, "some file.bin", size);
  g_autoptr(HailChatTransfer) first = NULL;
  g_autoptr(HailStoreMessage) row = NULL;
  guint64 skipped;

  break_transfer (f, file);
  g_assert_nonnull (f->error);
  first = g_object_ref (f->transfer[BOB]);
  g_assert_cmpint (hail_chat_transfer_get_state (first), ==, HAIL_CHAT_TRANSFER_FAILED);

  restart_bob (f);
  f->done = FALSE;
  hail_chat_transfer_retry_async (f->transfer[ALICE], NULL, finished_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  g_assert_true (f->transfer[BOB] != first);

  skipped = arrived_resumed (f, file, size);
  g_assert_cmpuint (skipped, >=, 1024 * 1024);
  g_assert_cmpuint (skipped, <, size);
  g_assert_cmpuint (hail_chat_transfer_get_resumed_from (f->transfer[BOB]), ==, skipped);
  /* The same row goes on, and the same name. */
  g_assert_cmpint (hail_chat_transfer_get_id (f->transfer[BOB]), ==,
                   hail_chat_transfer_get_id (first));
  row = only_message_in (f->store[BOB], HAIL_STORE_MESSAGE_STATE_DELIVERED);
  g_file_delete (file, NULL, NULL);
}

/* Alice's file is cut short while it is being sent (a mapping would
 * take SIGBUS): the transfer fails and says why, and bob keeps nothing. */
static void
test_file_changed_while_sent (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "report.pdf", 16 * 1024 * 1024);
  g_autoptr(HailStoreMessage) row = NULL;
  const char *reason;

  f->cut_short = g_file_get_path (file);
  send_file_and_wait (f, file);
  g_assert_null (f->cut_short);
  g_assert_false (f->ok);
  g_assert_nonnull (f->error);
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_FAILED);
  reason = hail_chat_transfer_get_reason (f->transfer[ALICE]);
  g_assert_cmpstr (reason, ==, "report.pdf changed while it was being sent");
  g_assert_cmpuint (hail_chat_transfer_get_done (f->transfer[ALICE]), <, 16 * 1024 * 1024);
  row = only_message_in (f->store[ALICE], HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (hail_store_message_get_reason (row), ==, reason);
  g_assert_true (hail_test_wait_until (bob_transfer_over, f, WAIT_MS));
  assert_transfer_state (f, BOB, HAIL_CHAT_TRANSFER_FAILED);
  g_file_delete (file, NULL, NULL);
}

static gboolean
downloads_are (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  g_autofree char *listing = downloads (f);

  return g_strcmp0 (listing, ((gpointer *) data)[1]) == 0;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The part of a file whose row bob deleted goes when his chat starts
 * again; files Hail did not make stay, even named like parts. */
static void
test_stale_part_removed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "some file.bin", 6 * 1024 * 1024);
  g_autofree char *mine = g_build_filename (f->downloads, "mine.bin.part", NULL);
  g_autofree char *empty = g_build_filename (f->downloads, "other.bin", NULL);
  g_autoptr(HailStoreMessage) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer expected[] = { f, (gpointer) "mine.bin.part|other.bin" };

  break_transfer (f, file);
  g_file_set_contents (mine, "not Hail's", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  row = only_message (f->store[BOB]);
  hail_store_delete_conversation_async (f->store[BOB], hail_store_message_get_conversation_id (row),
                                        NULL, result_cb, &result);
  g_assert_true (hail_test_wait_until (has_result, &result, WAIT_MS));
  g_assert_true (hail_store_update_finish (f->store[BOB], result, &error));
  g_assert_no_error (error);
  restart_bob (f);
  g_assert_true (hail_test_wait_until (downloads_are, expected, WAIT_MS));
  g_file_delete (file, NULL, NULL);
}

static void
retried_file_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(HailChatTransfer) transfer = NULL;

  g_clear_error (&f->error);
  transfer = hail_chat_retry_file_finish (HAIL_CHAT (source), result, &f->error);
  f->ok = transfer != NULL;
  if (transfer != NULL)
    g_assert_true (transfer == f->transfer[ALICE]);
  f->done = TRUE;
}

/* Alice's chat sends the file of row @id again. */
static void
retry_file_and_wait (Fixture *f,
                     gint64   id)
{
  f->done = FALSE;
  hail_chat_retry_file_async (f->chat[ALICE], id, NULL, retried_file_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
}

/* Both Hails stop mid-transfer. Once started again, alice retries the
 * failed file from its history row: it resumes after what bob
 * acknowledged before, and arrives whole. */
static void
test_file_retried_after_restart (Fixture       *f,
                                 gconstpointer  data)
{
  const gsize size = 6 * 1024 * 1024;
  g_autoptr(GFile) file = write_file (f, "some file.bin", size);
  g_autoptr(HailStoreMessage) row = NULL;
  g_autoptr(HailStoreMessage) done = NULL;

  break_transfer (f, file);
  row = only_message_in (f->store[ALICE], HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_file_acked (row), >=, 1024 * 1024);
  g_assert_cmpuint (hail_store_message_get_file_acked (row), <, size);
  /* Alice's Hail stops and starts again too: only the row is left. */
  g_signal_handlers_disconnect_by_data (f->chat[ALICE], f);
  g_assert_finalize_object (g_steal_pointer (&f->chat[ALICE]));
  g_signal_handlers_disconnect_by_data (f->transfer[ALICE], f);
  g_clear_object (&f->transfer[ALICE]);
  f->chat[ALICE] = hail_chat_new (f->account[ALICE], f->store[ALICE]);
  g_signal_connect (f->chat[ALICE], "transfer-added", G_CALLBACK (transfer_added_cb), f);
  restart_bob (f);

  retry_file_and_wait (f, hail_store_message_get_id (row));
  g_assert_no_error (f->error);
  g_assert_true (hail_test_wait_until (alice_transfer_over, f, WAIT_MS));
  g_assert_cmpstr (hail_chat_transfer_get_reason (f->transfer[ALICE]), ==, NULL);
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_DONE);
  g_assert_true (hail_test_wait_until (file_arrived, f, WAIT_MS));
  g_assert_cmpuint (arrived_resumed (f, file, size), ==, hail_store_message_get_file_acked (row));
  g_assert_cmpint (hail_chat_transfer_get_id (f->transfer[ALICE]), ==,
                   hail_store_message_get_id (row));
  done = only_message_in (f->store[ALICE], HAIL_STORE_MESSAGE_STATE_DELIVERED);
  g_file_delete (file, NULL, NULL);
}

/* Only a failed file this account sent is sent again. */
static void
test_file_retry_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "small.bin", 100);
  g_autoptr(HailStoreMessage) row = NULL;

  send_file_and_wait (f, file);
  g_assert_true (f->ok);
  row = only_message (f->store[ALICE]);
  retry_file_and_wait (f, hail_store_message_get_id (row));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_PENDING);
  retry_file_and_wait (f, 424242);
  g_assert_error (f->error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_file_delete (file, NULL, NULL);
}

/* Bob stops a file on its way: nothing stays on disk, alice's transfer
 * fails, and bob's history says it was cancelled. */
static void
test_file_cancelled_by_receiver (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "some file.bin", 6 * 1024 * 1024);
  g_autoptr(HailStoreMessage) row = NULL;

  send_file_until (f, file, half_written);
  hail_chat_transfer_cancel (f->transfer[BOB]);
  assert_transfer_state (f, BOB, HAIL_CHAT_TRANSFER_CANCELLED);
  g_assert_null (hail_chat_transfer_get_reason (f->transfer[BOB]));
  g_assert_true (hail_test_wait_until (is_done, f, WAIT_MS));
  g_assert_nonnull (f->error);
  assert_transfer_state (f, ALICE, HAIL_CHAT_TRANSFER_FAILED);
  assert_downloads (f, "");
  row = only_message_in (f->store[BOB], HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (hail_store_message_get_reason (row), ==, "cancelled");
  g_file_delete (file, NULL, NULL);
}

/* Without a "session-offer" handler, bob's contacts decide: alice as a
 * contact gets a session; before she is one, her text comes as a
 * MESSAGE. */
static void
test_contacts_decide (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *text = long_text (3000);
  g_autofree char *vcard = g_build_filename (f->dir, "alice.vcf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (vcard);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_signal_handlers_disconnect_by_func (f->chat[BOB], session_offer_cb, f);
  send_and_wait (f, text);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_PAGER);
  wait_received (f, 1);

  g_file_set_contents (vcard, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice\r\n"
                       "IMPP:sip:alice@example.test\r\nEND:VCARD\r\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (hail_store_import_vcard_sync (f->store[BOB], file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  send_and_wait (f, text);
  g_assert_true (f->ok);
  g_assert_cmpint (f->mode, ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  wait_received (f, 2);
  g_assert_cmpstr (g_ptr_array_index (f->received_mode, 1), ==, "session");
  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/chat-session/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("long-text", test_long_text);
  ADD ("short-text-pager", test_short_text_pager);
  ADD ("reuse", test_reuse);
  ADD ("idle-close", test_idle_close);
  ADD ("refused-falls-back", test_refused_falls_back);
  ADD ("contacts-decide", test_contacts_decide);
  ADD ("file", test_file);
  ADD ("file-over-own-limit", test_file_over_own_limit);
  ADD ("file-over-peer-limit", test_file_over_peer_limit);
  ADD ("file-declined", test_file_declined);
  ADD ("file-name-taken", test_file_name_taken);
  ADD ("file-size-lie", test_file_size_lie);
  ADD ("file-hash-mismatch", test_file_hash_mismatch);
  ADD ("file-hash-match", test_file_hash_match);
  ADD ("file-name-unsafe", test_file_name_unsafe);
  ADD ("offer-accepted-later", test_offer_accepted_later);
  ADD ("offer-declined", test_offer_declined);
  ADD ("offer-timeout", test_offer_timeout);
  ADD ("offer-cancelled", test_offer_cancelled);
  ADD ("file-resumed", test_file_resumed);
  ADD ("file-cancelled-by-receiver", test_file_cancelled_by_receiver);
  ADD ("file-changed-while-sent", test_file_changed_while_sent);
  ADD ("stale-part-removed", test_stale_part_removed);
  ADD ("file-retried-after-restart", test_file_retried_after_restart);
  ADD ("file-retry-refused", test_file_retry_refused);
#undef ADD

  return g_test_run ();
}
