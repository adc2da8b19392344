/* hail-chat-preview.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the chat window with files in it (one sending, one failed, one
 * received) and a question about an offered file, from a store under
 * $XDG_DATA_HOME and test transfers, so the AT-SPI test can walk it and
 * take its screenshot. Runs until closed.
 */
#include "config.h"

#include "hail-chat-window.h"
#include "hail-store.h"
#include "hail-test-util.h"
#include "test-file-engine.h"
#include "test-offer.h"

#include <adwaita.h>

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Stores a message for the file and gives it a live transfer, which the
 * engine holds. */
static TestTransfer *
add_file (HailStore             *store,
          TestFileEngine        *engine,
          const char            *name,
          gboolean               outgoing,
          guint64                size,
          guint64                done,
          HailTransferViewState  state,
          const char            *reason)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestTransfer) transfer = NULL;
  g_autofree char *path = g_build_filename (g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD)
                                            ? g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD)
                                            : g_get_home_dir (), name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 id;

  if (outgoing)
    {
      draft = hail_store_message_new ("alice@example.test", "sip:bob@example.test",
                                      HAIL_STORE_DIRECTION_OUT, name);
      hail_store_add_outgoing_message_async (store, draft, NULL, done_cb, &result);
      if (!hail_test_wait_until (has_result, &result, 10000))
        g_error ("The store did not answer within 10 s");
      id = hail_store_add_outgoing_message_finish (store, result, &error);
    }
  else
    {
      draft = g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "alice@example.test",
                            "remote", "sip:bob@example.test",
                            "direction", HAIL_STORE_DIRECTION_IN, "body", name,
                            "call-id", name, "cseq", 1, NULL);
      hail_store_add_incoming_message_async (store, draft, NULL, done_cb, &result);
      if (!hail_test_wait_until (has_result, &result, 10000))
        g_error ("The store did not answer within 10 s");
      id = hail_store_add_incoming_message_finish (store, result, NULL, &error);
    }
  g_assert_no_error (error);
  transfer = test_transfer_new (id, "sip:bob@example.test", file, size, outgoing);
  test_transfer_progress (transfer, done, state, reason);
  test_file_engine_add_transfer (engine, transfer);
  return transfer;
}

static void
activate_cb (GtkApplication *app,
             HailStore      *store)
{
  g_autoptr(TestFileEngine) engine = g_object_new (TEST_TYPE_FILE_ENGINE, NULL);
  g_autoptr(TestOffer) offer = test_offer_new ("preview-offer", "sip:bob@example.test",
                                               "Bob Builder", "notes.txt", 12000);
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;
  HailChatWindow *window;

  add_file (store, engine, "report.pdf", TRUE, 5000000, 1200000,
            HAIL_TRANSFER_VIEW_STATE_ACTIVE, NULL);
  add_file (store, engine, "slides.odp", TRUE, 830000, 310000,
            HAIL_TRANSFER_VIEW_STATE_FAILED, "the other side stopped answering");
  add_file (store, engine, "photo.jpg", FALSE, 2300000, 2300000,
            HAIL_TRANSFER_VIEW_STATE_DONE, NULL);
  /* Offered to a phone that answered with audio only. */
  test_transfer_fail_unsupported (add_file (store, engine, "song.flac", TRUE, 31000000, 0,
                                            HAIL_TRANSFER_VIEW_STATE_CONNECTING, NULL));
  g_ptr_array_add (engine->offers, g_object_ref (offer));

  conversations = hail_store_list_conversations_sync (store, &error);
  g_assert_no_error (error);
  conversation = g_list_model_get_item (conversations, 0);
  window = hail_chat_window_new (store, HAIL_ENGINE (engine), "alice@example.test",
                                 "sip:bob@example.test", "Bob Builder",
                                 hail_store_conversation_get_id (conversation));
  gtk_window_set_application (GTK_WINDOW (window), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Hail's resource path, so its style.css applies as in the app. */
  g_autoptr(GApplication) app = g_object_new (ADW_TYPE_APPLICATION,
                                              "application-id", APP_ID ".ChatPreview",
                                              "flags", G_APPLICATION_NON_UNIQUE,
                                              "resource-base-path", RESOURCE_PREFIX,
                                              NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "hail-chat-preview.db",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStore) store = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = hail_store_new_sync (path, &error);
  if (store == NULL)
    g_error ("Cannot open the preview store: %s", error->message);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), store);
  return g_application_run (app, argc, argv);
}
