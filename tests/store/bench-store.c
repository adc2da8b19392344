/* bench-store.c: store throughput and model load time; prints figures.
 *   - outgoing messages written QUEUED then marked SENT, one at a time
 *     (each awaited, as the chat layer does) and pipelined, in wall-clock
 *     time and in CPU time of both threads (steadier on a shared machine);
 *   - HailStoreMessageList load of a 10,000-message conversation: the first
 *     page, then every page; the conversation list; a full-text search;
 *   - reopening the 12,000-message database (quick_check included).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store-conversation-list.h"
#include "hail-store-message-list.h"

#include "hail-test-util.h"
#include "store-test-helpers.h"

#include <sys/resource.h>

#define SEQUENTIAL 2000
#define BIG_CONVERSATION 10000

typedef struct {
  HailStore *store;
  guint      pending;
  gint64    *ids;
} Bench;

static gboolean
none_pending (gpointer data)
{
  return ((Bench *) data)->pending == 0;
}

static void
wait_all (Bench *bench)
{
  if (!hail_test_wait_until (none_pending, bench, 120000))
    g_error ("benchmark: %u operations still pending after 120 s", bench->pending);
}

static HailStoreMessage *
draft (const char *remote,
       guint       serial)
{
  g_autofree char *body = g_strdup_printf ("Benchmark message %u about the harbour and a kayak",
                                           serial);
  g_autofree char *call_id = g_strdup_printf ("bench-%u@127.0.0.1", serial);

  return g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "account", "sip:alice@127.0.0.1",
                       "remote", remote,
                       "direction", HAIL_STORE_DIRECTION_OUT,
                       "body", body,
                       "call-id", call_id,
                       "cseq", 1,
                       NULL);
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = hail_store_add_outgoing_message_finish (bench->store, result, &error);

  g_assert_no_error (error);
  bench->ids[--bench->pending] = id;
}

static void
state_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_store_set_message_state_finish (bench->store, result, &error));
  bench->pending--;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* User + system CPU seconds of the whole process, worker thread included. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
bench_sequential (Bench *bench)
{
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_seconds ();
  double elapsed;

  for (guint i = 0; i < SEQUENTIAL; i++)
    {
      g_autoptr(HailStoreMessage) message = draft ("sip:bob@127.0.0.1", i);

      bench->pending = 1;
      hail_store_add_outgoing_message_async (bench->store, message, NULL, added_cb, bench);
      wait_all (bench);
      bench->pending = 1;
      hail_store_set_message_state_async (bench->store, bench->ids[0],
                                          HAIL_STORE_MESSAGE_STATE_SENT, 200, NULL, NULL,
                                          state_cb, bench);
      wait_all (bench);
    }
  elapsed = seconds_since (start);
  cpu = cpu_seconds () - cpu;
  g_print ("sequential: %u messages queued+sent (2 commits each) in %.3f s: "
           "%.0f messages/s, %.0f us per message; CPU %.0f us per message\n",
           SEQUENTIAL, elapsed, SEQUENTIAL / elapsed, elapsed * 1e6 / SEQUENTIAL,
           cpu * 1e6 / SEQUENTIAL);
}

static void
bench_pipelined (Bench *bench)
{
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_seconds ();
  double elapsed;

  bench->pending = BIG_CONVERSATION;
  for (guint i = 0; i < BIG_CONVERSATION; i++)
    {
      g_autoptr(HailStoreMessage) message = draft ("sip:carol@127.0.0.1", i);

      hail_store_add_outgoing_message_async (bench->store, message, NULL, added_cb, bench);
    }
  wait_all (bench);
  bench->pending = BIG_CONVERSATION;
  for (guint i = 0; i < BIG_CONVERSATION; i++)
    hail_store_set_message_state_async (bench->store, bench->ids[i],
                                        HAIL_STORE_MESSAGE_STATE_SENT, 200, NULL, NULL,
                                        state_cb, bench);
  wait_all (bench);
  elapsed = seconds_since (start);
  cpu = cpu_seconds () - cpu;
  g_print ("pipelined: %u messages queued+sent in %.3f s: %.0f messages/s; "
           "CPU %.0f us per message\n",
           BIG_CONVERSATION, elapsed, BIG_CONVERSATION / elapsed, cpu * 1e6 / BIG_CONVERSATION);
}

static void
bench_models (Bench *bench)
{
  g_autoptr(HailStoreConversationList) conversations = NULL;
  g_autoptr(HailStoreMessageList) messages = NULL;
  g_autoptr(HailStoreConversation) carol = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) hits = NULL;
  gint64 start;
  double first_page;
  double all_pages;
  guint pages = 1;

  start = g_get_monotonic_time ();
  conversations = hail_store_conversation_list_new (bench->store);
  hail_store_conversation_list_load_async (conversations, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_conversation_list_load_finish (conversations,
                                                           store_test_wait (&result), NULL));
  g_clear_object (&result);
  g_print ("conversation list load: %u conversations in %.2f ms\n",
           g_list_model_get_n_items (G_LIST_MODEL (conversations)),
           seconds_since (start) * 1e3);
  carol = g_list_model_get_item (G_LIST_MODEL (conversations), 0);

  start = g_get_monotonic_time ();
  messages = hail_store_message_list_new (bench->store, hail_store_conversation_get_id (carol));
  hail_store_message_list_load_async (messages, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_message_list_load_finish (messages, store_test_wait (&result), NULL));
  g_clear_object (&result);
  first_page = seconds_since (start);
  while (hail_store_message_list_get_has_older (messages) && pages < BIG_CONVERSATION)
    {
      hail_store_message_list_load_older_async (messages, NULL, store_test_result_cb, &result);
      g_assert_true (hail_store_message_list_load_finish (messages, store_test_wait (&result),
                                                          NULL));
      g_clear_object (&result);
      pages++;
    }
  all_pages = seconds_since (start);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (messages)), ==, BIG_CONVERSATION);
  g_print ("message list load, %u-message conversation: first page (200) in %.2f ms, "
           "all %u pages in %.1f ms\n", BIG_CONVERSATION, first_page * 1e3, pages,
           all_pages * 1e3);

  start = g_get_monotonic_time ();
  hail_store_search_messages_async (bench->store, "harb kayak 999", 100, NULL,
                                    store_test_result_cb, &result);
  hits = hail_store_list_messages_finish (bench->store, store_test_wait (&result), NULL);
  g_print ("search over %u messages: %u hits in %.2f ms\n", SEQUENTIAL + BIG_CONVERSATION,
           g_list_model_get_n_items (hits), seconds_since (start) * 1e3);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  Bench bench = { 0 };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  dir = store_test_make_dir ();
  path = g_build_filename (dir, "bench.db", NULL);
  bench.ids = g_new0 (gint64, BIG_CONVERSATION);
  bench.store = store_test_open (path);

  bench_sequential (&bench);
  bench_pipelined (&bench);
  bench_models (&bench);

  store_test_close (g_steal_pointer (&bench.store));
  {
    gint64 start = g_get_monotonic_time ();

    bench.store = store_test_open (path);
    g_print ("reopen of the %u-message database (with quick_check): %.1f ms\n",
             SEQUENTIAL + BIG_CONVERSATION, seconds_since (start) * 1e3);
    store_test_close (g_steal_pointer (&bench.store));
  }
  g_free (bench.ids);
  store_test_rmdir (dir);
  return 0;
}
