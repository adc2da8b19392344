/* hail-cli-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli message URI TEXT|-`: send an instant message in pager mode
 * (RFC 3428), written to the history first; and the chat side of every
 * command that listens: incoming messages as `message-received`, stored
 * once, and messages an earlier run left unsent, sent again.
 */
#include "config.h"

#include "hail-cli-context.h"

#include "hail-chat.h"
#include "hail-cli-event.h"
#include "hail-sip-error.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* Largest TEXT read from standard input; pager mode carries far less
 * (HAIL_SIP_PAGER_MAX_BODY), and the pager says so. */
#define MAX_TEXT (1024 * 1024)
/* Messages of --each-line in flight at once. */
#define WINDOW 64
/* Pacing tick of --rate, in milliseconds. */
#define TICK_MS 5
/* Seconds the history gets to finish its writes at exit. */
#define CLOSE_SECONDS 10

/* The history and chat of this run (one per process). */
static HailStore *history;
static HailChat  *chat;
static gulong     state_id;
static char      *download_dir;

static void
emit_outcome (HailCliContext       *ctx,
              gboolean              ok,
              guint                 status,
              HailStoreMessageMode  mode,
              const char           *reason,
              gint64                id,
              gint64                index,
              gboolean              resent,
              gint64                elapsed_us)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new (ok ? "message-sent" : "message-failed");

  hail_cli_event_add_int (event, "status", status);
  if (ok)
    hail_cli_event_add_string (event, "mode", hail_cli_mode_name (mode));
  else
    hail_cli_event_add_string (event, "reason", reason);
  if (id != 0)
    hail_cli_event_add_int (event, "id", id);
  if (index >= 0)
    hail_cli_event_add_int (event, "index", index);
  if (resent)
    hail_cli_event_add_bool (event, "resent", TRUE);
  /* From the send (the history write included) to the final response. */
  if (elapsed_us >= 0)
    hail_cli_event_add_int (event, "elapsed_us", elapsed_us);
  hail_cli_event_emit (event, ctx->opts.json);
}

const char *
hail_cli_mode_name (HailStoreMessageMode mode)
{
  return mode == HAIL_STORE_MESSAGE_MODE_SESSION ? "session" : "pager";
}

static void
emit_received (HailCliContext       *ctx,
               const char           *from,
               const char           *content_type,
               const char           *body,
               HailStoreMessageMode  mode)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("message-received");

  hail_cli_event_add_string (event, "from", from);
  hail_cli_event_add_string (event, "content_type", content_type);
  hail_cli_event_add_string (event, "body", body);
  hail_cli_event_add_string (event, "mode", hail_cli_mode_name (mode));
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
received_pager_cb (HailChat       *self,
                   const char     *from,
                   const char     *content_type,
                   const char     *body,
                   HailCliContext *ctx)
{
  emit_received (ctx, from, content_type, body, HAIL_STORE_MESSAGE_MODE_PAGER);
}

static void
received_session_cb (HailChat       *self,
                     const char     *from,
                     const char     *content_type,
                     const char     *body,
                     HailCliContext *ctx)
{
  emit_received (ctx, from, content_type, body, HAIL_STORE_MESSAGE_MODE_SESSION);
}

/* hail-cli is a test and scripting tool: it takes every text session;
 * files only where it was told to keep them (--download-dir). */
static gboolean
session_offer_cb (HailChat       *self,
                  HailChatOffer  *offer,
                  HailCliContext *ctx)
{
  if (!hail_chat_offer_is_file (offer) || download_dir != NULL)
    hail_chat_offer_accept (offer);
  else
    hail_chat_offer_decline (offer);
  return TRUE;
}

/* The SHA-256 of a file read by blocks (never whole in memory), and its
 * size when @size is not NULL: what send-file announces and listen checks. */
char *
hail_cli_file_sha256 (GFile    *file,
                      guint64  *size,
                      GError  **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  guint64 total = 0;
  gssize n;

  if (in == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 64 * 1024, NULL, error)) > 0)
    {
      g_checksum_update (checksum, buffer, (gsize) n);
      total += (guint64) n;
    }
  if (n < 0)
    return NULL;
  if (size != NULL)
    *size = total;
  return g_strdup (g_checksum_get_string (checksum));
}

static void
transfer_state_cb (HailChatTransfer *transfer,
                   GParamSpec       *pspec,
                   HailCliContext   *ctx)
{
  g_autoptr(HailCliEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;

  switch (hail_chat_transfer_get_state (transfer))
    {
    case HAIL_CHAT_TRANSFER_DONE:
      sha256 = hail_cli_file_sha256 (hail_chat_transfer_get_file (transfer), NULL, &error);
      if (sha256 == NULL)
        {
          event = hail_cli_event_new ("file-failed");
          hail_cli_event_add_string (event, "from", hail_chat_transfer_get_remote (transfer));
          hail_cli_event_add_string (event, "reason", error->message);
          break;
        }
      path = g_file_get_path (hail_chat_transfer_get_file (transfer));
      event = hail_cli_event_new ("file-received");
      hail_cli_event_add_string (event, "from", hail_chat_transfer_get_remote (transfer));
      hail_cli_event_add_string (event, "name", hail_chat_transfer_get_name (transfer));
      hail_cli_event_add_int (event, "size", (gint64) hail_chat_transfer_get_done (transfer));
      hail_cli_event_add_string (event, "sha256", sha256);
      hail_cli_event_add_string (event, "path", path);
      break;
    case HAIL_CHAT_TRANSFER_FAILED:
    case HAIL_CHAT_TRANSFER_DECLINED:
    case HAIL_CHAT_TRANSFER_CANCELLED:
      event = hail_cli_event_new ("file-failed");
      hail_cli_event_add_string (event, "from", hail_chat_transfer_get_remote (transfer));
      hail_cli_event_add_string (event, "reason", hail_chat_transfer_get_reason (transfer) != NULL
                                                  ? hail_chat_transfer_get_reason (transfer)
                                                  : _("cancelled"));
      break;
    case HAIL_CHAT_TRANSFER_CONNECTING:
    case HAIL_CHAT_TRANSFER_ACTIVE:
    default:
      return;
    }
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
transfer_added_cb (HailChat         *self,
                   HailChatTransfer *transfer,
                   HailCliContext   *ctx)
{
  if (!hail_chat_transfer_is_outgoing (transfer))
    g_signal_connect (transfer, "notify::state", G_CALLBACK (transfer_state_cb), ctx);
}

void
hail_cli_chat_set_download_dir (const char *dir)
{
  g_free (download_dir);
  download_dir = g_strdup (dir);
  if (chat != NULL && dir != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (dir);

      hail_chat_set_download_dir (chat, file);
    }
}

HailChat *
hail_cli_chat_get (void)
{
  return chat;
}

static void
composing_cb (HailChat       *self,
              const char     *from,
              gboolean        active,
              HailCliContext *ctx)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("composing");

  hail_cli_event_add_string (event, "from", from);
  hail_cli_event_add_bool (event, "active", active);
  hail_cli_event_emit (event, ctx->opts.json);
}

/* Outcomes of messages sent again from an earlier run. */
static void
resent_state_cb (HailChat       *self,
                 gint64          id,
                 guint           state,
                 guint           status,
                 const char     *reason,
                 HailCliContext *ctx)
{
  if (state == HAIL_STORE_MESSAGE_STATE_SENT)
    emit_outcome (ctx, TRUE, status, HAIL_STORE_MESSAGE_MODE_PAGER, reason, id, -1, TRUE, -1);
  else if (state == HAIL_STORE_MESSAGE_STATE_FAILED)
    emit_outcome (ctx, FALSE, status, HAIL_STORE_MESSAGE_MODE_PAGER, reason, id, -1, TRUE, -1);
}

gboolean
hail_cli_chat_attach (HailCliContext *ctx)
{
  g_autoptr(GError) error = NULL;

  if (!ctx->opts.no_history)
    {
      g_autofree char *path = ctx->opts.db != NULL ? g_strdup (ctx->opts.db)
                                                   : hail_store_get_default_path ();

      history = hail_store_new_sync (path, &error);
      if (history == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("cannot open the history “%s”: %s (use --db FILE or "
                               "--no-history)"), path, error->message);

          hail_cli_context_error (ctx, message);
          ctx->exit_code = g_error_matches (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID)
                           ? 2 : 1;
          return FALSE;
        }
    }
  chat = hail_chat_new (ctx->account, history);
  g_signal_connect (chat, "message-received::pager", G_CALLBACK (received_pager_cb), ctx);
  g_signal_connect (chat, "message-received::session", G_CALLBACK (received_session_cb), ctx);
  g_signal_connect (chat, "composing", G_CALLBACK (composing_cb), ctx);
  g_signal_connect (chat, "session-offer", G_CALLBACK (session_offer_cb), ctx);
  g_signal_connect (chat, "transfer-added", G_CALLBACK (transfer_added_cb), ctx);
  if (download_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (download_dir);

      hail_chat_set_download_dir (chat, dir);
    }
  return TRUE;
}

static void
resent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0, n_failed = 0;

  if (!hail_chat_resend_pending_finish (HAIL_CHAT (source), result, &n_sent, &n_failed, &error))
    g_debug ("Sending pending messages again stopped: %s", error->message);
  else if (n_sent + n_failed > 0)
    g_info ("Sent %u pending messages again; %u failed", n_sent, n_failed);
  g_clear_signal_handler (&state_id, source);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
hail_cli_chat_resend_pending (HailCliContext      *ctx,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);

  g_return_if_fail (chat != NULL);

  state_id = g_signal_connect (chat, "message-state", G_CALLBACK (resent_state_cb), ctx);
  hail_chat_resend_pending_async (chat, ctx->cancellable, resent_cb, task);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GMainLoop *loop = user_data;

  if (!hail_store_close_finish (HAIL_STORE (source), result, &error))
    g_debug ("Closing the history: %s", error->message);
  g_main_loop_quit (loop);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
sessions_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  if (!hail_chat_close_sessions_finish (HAIL_CHAT (source), result, NULL))
    g_debug ("Message sessions did not all end cleanly");
  g_main_loop_quit (user_data);
}

/* Ends @run_chat's message sessions with BYE before the process exits,
 * bounded by HAIL_CLI_SHUTDOWN_SECONDS. */
void
hail_cli_chat_close_sessions (HailChat *run_chat)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint timeout_id;

  hail_chat_close_sessions_async (run_chat, NULL, sessions_closed_cb, loop);
  timeout_id = g_timeout_add_seconds (HAIL_CLI_SHUTDOWN_SECONDS, close_timeout_cb, loop);
  g_main_loop_run (loop);
  g_clear_handle_id (&timeout_id, g_source_remove);
}

void
hail_cli_chat_detach (HailCliContext *ctx)
{
  if (chat != NULL)
    hail_cli_chat_close_sessions (chat);
  g_clear_object (&chat);
  g_clear_pointer (&download_dir, g_free);
  if (history != NULL)
    {
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      guint timeout_id;

      /* Lets the writes still queued (the last states) reach the disk. */
      hail_store_close_async (history, NULL, closed_cb, loop);
      timeout_id = g_timeout_add_seconds (CLOSE_SECONDS, close_timeout_cb, loop);
      g_main_loop_run (loop);
      g_clear_handle_id (&timeout_id, g_source_remove);
      g_clear_object (&history);
    }
}

/* The command. */

typedef struct {
  gatomicrefcount  ref;
  GMutex           lock;
  HailCliContext  *ctx;         /* NULL once the command is over. */
  char            *to;
  char            *text;
  gboolean         each_line;
  int              rate;
  gboolean         ready;       /* Registered and pending messages handled. */
  GQueue           lines;       /* char *, in order, guarded by lock */
  gboolean         eof;         /* guarded by lock */
  char            *read_error;  /* guarded by lock */
  gint64           next_index;
  guint            in_flight;
  guint            n_failed;
  gint64           start_us;
  guint64          started;
  guint            tick_id;
  gboolean         finished;
} MessageRun;

static MessageRun *
run_ref (MessageRun *run)
{
  g_atomic_ref_count_inc (&run->ref);
  return run;
}

static void
run_unref (MessageRun *run)
{
  if (!g_atomic_ref_count_dec (&run->ref))
    return;
  g_free (run->to);
  g_free (run->text);
  g_queue_clear_full (&run->lines, g_free);
  g_free (run->read_error);
  g_mutex_clear (&run->lock);
  g_free (run);
}

typedef struct {
  MessageRun *run;
  gint64      index;
  gint64      start_us;
} SendData;

static void pump (MessageRun *run);

static void
maybe_finish (MessageRun *run)
{
  g_autofree char *read_error = NULL;
  gboolean eof;

  g_mutex_lock (&run->lock);
  eof = run->eof && run->lines.length == 0;
  read_error = g_strdup (run->read_error);
  g_mutex_unlock (&run->lock);
  if (run->finished || run->ctx == NULL || run->in_flight > 0)
    return;
  if (run->each_line && !eof)
    return;
  run->finished = TRUE;
  g_clear_handle_id (&run->tick_id, g_source_remove);
  if (read_error != NULL)
    {
      hail_cli_context_error (run->ctx, read_error);
      hail_cli_context_finish (run->ctx, 2);
      return;
    }
  hail_cli_context_finish (run->ctx, run->n_failed > 0 ? 1 : 0);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;
  MessageRun *run = data->run;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  gint64 id = 0;
  HailStoreMessageMode mode = HAIL_STORE_MESSAGE_MODE_PAGER;
  gboolean ok;

  ok = hail_chat_send_finish_full (HAIL_CHAT (source), result, &status, &id, &mode, &error);
  run->in_flight--;
  if (run->ctx != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *reason = NULL;

      if (!ok)
        {
          run->n_failed++;
          if (error->domain == HAIL_SIP_STATUS_ERROR)
            {
              status = (guint) error->code;
              reason = g_strdup (error->message);
            }
          else
            reason = hail_sip_describe_failure (error, status, &status);
        }
      emit_outcome (run->ctx, ok, status, mode, reason, id,
                    run->each_line ? data->index : -1, FALSE,
                    g_get_monotonic_time () - data->start_us);
      pump (run);
      maybe_finish (run);
    }
  run_unref (run);
  g_free (data);
}

static void
send_one (MessageRun *run,
          const char *text,
          gint64      index)
{
  SendData *data = g_new0 (SendData, 1);

  data->run = run_ref (run);
  data->index = index;
  data->start_us = g_get_monotonic_time ();
  run->in_flight++;
  run->started++;
  hail_chat_send_async (chat, run->to, text, run->ctx->cancellable, sent_cb, data);
}

/* Starts what the window and --rate allow. */
static void
pump (MessageRun *run)
{
  if (run->ctx == NULL || !run->ready || run->ctx->stopping || !run->each_line)
    return;
  while (run->in_flight < WINDOW)
    {
      g_autofree char *line = NULL;

      if (run->rate > 0)
        {
          gint64 elapsed = g_get_monotonic_time () - run->start_us;
          guint64 allowed = (guint64) elapsed * (guint64) run->rate / G_USEC_PER_SEC + 1;

          if (run->started >= allowed)
            return;
        }
      g_mutex_lock (&run->lock);
      line = g_queue_pop_head (&run->lines);
      g_mutex_unlock (&run->lock);
      if (line == NULL)
        return;
      send_one (run, line, run->next_index++);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  MessageRun *run = user_data;

  pump (run);
  return G_SOURCE_CONTINUE;
}

static gboolean
lines_ready_cb (gpointer user_data)
{
  MessageRun *run = user_data;

  pump (run);
  maybe_finish (run);
  return G_SOURCE_REMOVE;
}

/* Reads standard input line by line for --each-line, so a stream that
 * never ends (a pipe from another program) is sent as it comes. The
 * password line was read from the same FILE before. */
static gpointer
reader_thread (gpointer user_data)
{
  MessageRun *run = user_data;
  g_autofree char *buf = g_malloc (HAIL_SIP_PAGER_MAX_BODY + 2);

  while (fgets (buf, HAIL_SIP_PAGER_MAX_BODY + 2, stdin) != NULL)
    {
      gsize len = strlen (buf);
      gboolean ends = len > 0 && buf[len - 1] == '\n';

      if (ends)
        buf[--len] = '\0';
      if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
      g_mutex_lock (&run->lock);
      if (!ends && !feof (stdin))
        {
          run->read_error = g_strdup_printf (_("a line of standard input is longer than %d "
                                               "bytes"), HAIL_SIP_PAGER_MAX_BODY);
          g_mutex_unlock (&run->lock);
          break;
        }
      if (!g_utf8_validate (buf, len, NULL))
        {
          run->read_error = g_strdup (_("standard input is not valid UTF-8"));
          g_mutex_unlock (&run->lock);
          break;
        }
      if (len > 0)
        g_queue_push_tail (&run->lines, g_strndup (buf, len));
      g_mutex_unlock (&run->lock);
      g_idle_add_full (G_PRIORITY_DEFAULT, lines_ready_cb, run_ref (run),
                       (GDestroyNotify) run_unref);
    }
  g_mutex_lock (&run->lock);
  run->eof = TRUE;
  g_mutex_unlock (&run->lock);
  g_idle_add_full (G_PRIORITY_DEFAULT, lines_ready_cb, run_ref (run), (GDestroyNotify) run_unref);
  run_unref (run);
  return NULL;
}

static void
pending_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MessageRun *run = user_data;

  if (run->ctx != NULL && !run->ctx->stopping)
    {
      run->ready = TRUE;
      run->start_us = g_get_monotonic_time ();
      if (!run->each_line)
        send_one (run, run->text, -1);
      else
        {
          /* Without --rate, lines and answers drive the pump alone. */
          if (run->rate > 0)
            run->tick_id = g_timeout_add (TICK_MS, tick_cb, run);
          pump (run);
          maybe_finish (run);
        }
    }
  run_unref (run);
}

static void
registered (HailCliContext *ctx,
            gboolean        ok)
{
  MessageRun *run = ctx->command_data;

  if (!ok)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  if (ctx->stopping)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  hail_cli_chat_resend_pending (ctx, pending_done_cb, run_ref (run));
}

static void
stop (HailCliContext *ctx)
{
  MessageRun *run = ctx->command_data;

  g_clear_handle_id (&run->tick_id, g_source_remove);
  hail_cli_context_finish (ctx, 1);
}

/* The rest of standard input, bounded, as valid UTF-8. */
static char *
read_all_stdin (GError **error)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  gsize n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
    {
      if (s->len + n > MAX_TEXT)
        {
          g_string_free (s, TRUE);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("the text on standard input is longer than %d bytes"), MAX_TEXT);
          return NULL;
        }
      g_string_append_len (s, buf, n);
    }
  return g_string_free (s, FALSE);
}

int
hail_cli_message_run (HailCliContext  *ctx,
                      int              argc,
                      char           **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("URI TEXT|- - send an instant message"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  gboolean cpim = FALSE, imdn = FALSE, each_line = FALSE, no_history = FALSE;
  char *db = NULL;
  int rate = 0;
  int code;
  MessageRun *run;
  const GOptionEntry entries[] = {
    { "each-line", 0, 0, G_OPTION_ARG_NONE, &each_line,
      N_("With TEXT “-”: send each line of standard input as its own message"), NULL },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate,
      N_("With --each-line: at most N messages per second"), "N" },
    { "cpim", 0, 0, G_OPTION_ARG_NONE, &cpim,
      N_("Wrap the text in message/cpim (text/plain again on 415)"), NULL },
    { "imdn", 0, 0, G_OPTION_ARG_NONE, &imdn,
      N_("Ask for and send delivery notifications (RFC 5438)"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_("History database (default: the user's)"), "FILE" },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &no_history,
      N_("Do not write the history"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      return 2;
    }
  if (db != NULL)
    {
      g_free (ctx->opts.db);
      ctx->opts.db = db;
    }
  ctx->opts.no_history |= no_history;
  if (argc != 3 || rate < 0 || (each_line && strcmp (argv[2], "-") != 0))
    {
      hail_cli_context_error (ctx, argc != 3 ? _("message takes a URI and a TEXT (or -)")
                                   : rate < 0 ? _("--rate must be positive")
                                              : _("--each-line needs TEXT “-”"));
      return 2;
    }
  uri = hail_cli_context_parse_uri (ctx, argv[1]);
  if (uri == NULL)
    return 2;
  if (!hail_cli_context_prepare (ctx, NULL))
    return ctx->exit_code;

  run = g_new0 (MessageRun, 1);
  g_atomic_ref_count_init (&run->ref);
  g_mutex_init (&run->lock);
  g_queue_init (&run->lines);
  run->ctx = ctx;
  run->to = g_strdup (hail_sip_uri_to_string (uri));
  run->each_line = each_line;
  run->rate = rate;
  if (!each_line)
    {
      run->text = strcmp (argv[2], "-") == 0 ? read_all_stdin (&error) : g_strdup (argv[2]);
      if (run->text != NULL && !g_utf8_validate (run->text, -1, NULL))
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("the text is not valid UTF-8"));
      else if (run->text != NULL && *run->text == '\0')
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("the text is empty"));
      if (error != NULL)
        {
          hail_cli_context_error (ctx, error->message);
          run->ctx = NULL;
          run_unref (run);
          return 2;
        }
    }
  if (!hail_cli_chat_attach (ctx))
    {
      run->ctx = NULL;
      run_unref (run);
      return ctx->exit_code;
    }
  hail_chat_set_use_cpim (chat, cpim);
  hail_chat_set_imdn (chat, imdn);
  if (each_line)
    {
      /* The thread is never joined: it may block on a stream that never
       * ends; its reference keeps the run alive until exit. */
      g_thread_unref (g_thread_new ("hail-cli-stdin", reader_thread, run_ref (run)));
    }
  ctx->command_data = run;
  ctx->on_stop = stop;
  hail_cli_context_register (ctx, registered);
  code = hail_cli_context_run (ctx);
  g_clear_handle_id (&run->tick_id, g_source_remove);
  run->ctx = NULL;
  hail_cli_chat_detach (ctx);
  run_unref (run);
  return code;
}
