/* store-writer.c: writes outgoing messages through HailStore as the chat
 * layer does (add QUEUED, then mark SENT) and prints each acknowledgement,
 * so that test-crash.py can kill it mid-stream and check what survived.
 *
 *   store-writer DB COUNT [INFLIGHT]
 *                           prints "queued ID" once the insert completed and
 *                           "sent ID" once the state update completed, with
 *                           up to INFLIGHT messages (default 1) in flight, so
 *                           that the store's group commit is exercised too
 *   store-writer --check DB opens DB through HailStore and prints
 *                           "pending N" (messages still QUEUED or SENDING)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_COUNT 1000000
#define MAX_INFLIGHT 256

typedef struct {
  GMainLoop *loop;
  HailStore *store;
  guint      remaining;
  guint      active;     /* messages between queue and sent */
  guint      inflight;
  guint      serial;
  int        status;
} Writer;

static void write_next (Writer *writer);

static void
fail (Writer       *writer,
      const GError *error)
{
  fprintf (stderr, "store-writer: %s\n", error->message);
  writer->status = 1;
  g_main_loop_quit (writer->loop);
}

typedef struct {
  Writer *writer;
  gint64  id;
} Sending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree Sending *sending = user_data;
  Writer *writer = sending->writer;
  g_autoptr(GError) error = NULL;
  gint64 id = sending->id;

  if (!hail_store_set_message_state_finish (writer->store, result, &error))
    {
      fail (writer, error);
      return;
    }
  printf ("sent %" G_GINT64_FORMAT "\n", id);
  fflush (stdout);
  writer->active--;
  write_next (writer);
}

static void
queued_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  Sending *sending;
  gint64 id = hail_store_add_outgoing_message_finish (writer->store, result, &error);

  if (id == 0)
    {
      fail (writer, error);
      return;
    }
  printf ("queued %" G_GINT64_FORMAT "\n", id);
  fflush (stdout);

  /* Here the chat layer would send the MESSAGE; the 200 marks it sent. */
  sending = g_new0 (Sending, 1);
  sending->writer = writer;
  sending->id = id;
  hail_store_set_message_state_async (writer->store, id, HAIL_STORE_MESSAGE_STATE_SENT, 200,
                                      NULL, NULL, sent_cb, sending);
}

static void
write_next (Writer *writer)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autofree char *body = NULL;
  g_autofree char *call_id = NULL;

  if (writer->remaining == 0)
    {
      if (writer->active == 0)
        g_main_loop_quit (writer->loop);
      return;
    }
  writer->remaining--;
  writer->active++;
  writer->serial++;
  body = g_strdup_printf ("message %u from the crash test", writer->serial);
  call_id = g_strdup_printf ("writer-%u@127.0.0.1", writer->serial);
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", "sip:alice@127.0.0.1",
                        "remote", writer->serial % 2 ? "sip:bob@127.0.0.1" : "sip:carol@127.0.0.1",
                        "direction", HAIL_STORE_DIRECTION_OUT,
                        "body", body,
                        "call-id", call_id,
                        "cseq", 1,
                        NULL);
  hail_store_add_outgoing_message_async (writer->store, draft, NULL, queued_cb, writer);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  writer->store = hail_store_new_finish (result, &error);
  if (writer->store == NULL)
    {
      fail (writer, error);
      return;
    }
  for (guint i = 0; i < writer->inflight; i++)
    write_next (writer);
}

static void
pending_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) pending = hail_store_list_messages_finish (writer->store, result, &error);

  if (pending == NULL)
    {
      fail (writer, error);
      return;
    }
  printf ("pending %u\n", g_list_model_get_n_items (pending));
  g_main_loop_quit (writer->loop);
}

static void
check_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  writer->store = hail_store_new_finish (result, &error);
  if (writer->store == NULL)
    {
      fail (writer, error);
      return;
    }
  hail_store_list_pending_messages_async (writer->store, NULL, pending_cb, writer);
}

int
main (int   argc,
      char *argv[])
{
  Writer writer = { 0 };
  gboolean check = argc == 3 && g_strcmp0 (argv[1], "--check") == 0;
  guint64 count = 0;
  guint64 inflight = 1;

  if (!check && ((argc != 3 && argc != 4) ||
                 !g_ascii_string_to_unsigned (argv[2], 10, 1, MAX_COUNT, &count, NULL) ||
                 (argc == 4 && !g_ascii_string_to_unsigned (argv[3], 10, 1, MAX_INFLIGHT,
                                                            &inflight, NULL))))
    {
      fprintf (stderr, "usage: store-writer DB COUNT (1-%d) [INFLIGHT (1-%d)]"
               " | store-writer --check DB\n", MAX_COUNT, MAX_INFLIGHT);
      return 2;
    }

  writer.loop = g_main_loop_new (NULL, FALSE);
  writer.remaining = (guint) count;
  writer.inflight = (guint) inflight;
  if (check)
    hail_store_new_async (argv[2], NULL, check_opened_cb, &writer);
  else
    hail_store_new_async (argv[1], NULL, opened_cb, &writer);
  g_main_loop_run (writer.loop);

  g_clear_object (&writer.store);
  g_main_loop_unref (writer.loop);
  return writer.status;
}
