/* hail-seed-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a conversation, a missed call and a contact into the store at its
 * default path (under $XDG_DATA_HOME), through the store's API, for the
 * end-to-end AT-SPI test. Prints the conversation id.
 */
#include "config.h"

#include "hail-store.h"

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Bounded: the store's worker answers in milliseconds; 10 s means a hang. */
static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("The store did not answer within 10 s");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
run (Wait *wait)
{
  guint timeout = g_timeout_add_seconds (10, timeout_cb, NULL);

  g_main_loop_run (wait->loop);
  g_source_remove (timeout);
  return wait->result;
}

static gint64
add_out (HailStore  *store,
         Wait       *wait,
         const char *body)
{
  g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:alice@example.test",
                                                              "sip:bob@example.test",
                                                              HAIL_STORE_DIRECTION_OUT, body);
  g_autoptr(GError) error = NULL;
  gint64 id;

  hail_store_add_outgoing_message_async (store, draft, NULL, done_cb, wait);
  id = hail_store_add_outgoing_message_finish (store, run (wait), &error);
  g_clear_object (&wait->result);
  g_assert_no_error (error);
  return id;
}

static void
set_state (HailStore             *store,
           Wait                  *wait,
           gint64                 id,
           HailStoreMessageState  state,
           guint                  status,
           const char            *reason)
{
  g_autoptr(GError) error = NULL;

  hail_store_set_message_state_async (store, id, state, status, reason, NULL, done_cb, wait);
  hail_store_set_message_state_finish (store, run (wait), &error);
  g_clear_object (&wait->result);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStore) store = hail_store_new_sync (NULL, &error);
  g_autoptr(HailStoreMessage) incoming = NULL;
  g_autoptr(HailStoreCall) call = NULL;
  g_autoptr(HailStoreCall) ended = NULL;
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autofree char *vcard_path = NULL;
  g_autoptr(GFile) vcard = NULL;
  Wait wait = { loop, NULL };
  gint64 id;
  guint n;

  g_assert_no_error (error);

  id = add_out (store, &wait, "Hello Bob, the notes are at https://example.test/notes");
  set_state (store, &wait, id, HAIL_STORE_MESSAGE_STATE_DELIVERED, 200, NULL);
  id = add_out (store, &wait, "This one could not go");
  set_state (store, &wait, id, HAIL_STORE_MESSAGE_STATE_FAILED, 404, "Bob is not registered");

  incoming = g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "sip:alice@example.test",
                           "remote", "sip:bob@example.test",
                           "direction", HAIL_STORE_DIRECTION_IN, "body", "Hi Alice",
                           "call-id", "seed-1@example.test", "cseq", 1, NULL);
  hail_store_add_incoming_message_async (store, incoming, NULL, done_cb, &wait);
  hail_store_add_incoming_message_finish (store, run (&wait), NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  call = hail_store_call_new ("sip:alice@example.test", "sip:carol@example.test",
                              HAIL_STORE_DIRECTION_IN, "seed-call@example.test");
  hail_store_add_call_async (store, call, NULL, done_cb, &wait);
  id = hail_store_add_call_finish (store, run (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  hail_store_end_call_async (store, id, 487, "Request Terminated", NULL, done_cb, &wait);
  ended = hail_store_end_call_finish (store, run (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  vcard_path = g_build_filename (g_get_user_data_dir (), "seed.vcf", NULL);
  g_assert_true (g_file_set_contents (vcard_path,
                                      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Builder\r\n"
                                      "N:Builder;Bob;;;\r\nIMPP:sip:bob@example.test\r\n"
                                      "END:VCARD\r\n", -1, &error));
  vcard = g_file_new_for_path (vcard_path);
  g_assert_true (hail_store_import_vcard_sync (store, vcard, &n, &error));
  g_assert_no_error (error);

  conversations = hail_store_list_conversations_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
  conversation = g_list_model_get_item (conversations, 0);
  g_print ("%" G_GINT64_FORMAT "\n", hail_store_conversation_get_id (conversation));

  hail_store_close_async (store, NULL, done_cb, &wait);
  hail_store_close_finish (store, run (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  return 0;
}
