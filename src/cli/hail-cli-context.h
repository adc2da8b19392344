/* hail-cli-context.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account.h"
#include "hail-chat.h"

G_BEGIN_DECLS

/* Seconds hail-cli waits for an un-REGISTER (or a hang-up) before exiting
 * anyway, after SIGINT/SIGTERM or at the end of a command. */
#define HAIL_CLI_SHUTDOWN_SECONDS 5
/* Longest password line read from standard input. */
#define HAIL_CLI_MAX_PASSWORD_LEN 1024

typedef struct {
  char     *account;
  char     *auth_user;
  gboolean  password_stdin;
  char     *proxy;
  char     *transport;
  char     *listen;
  char     *ca_file;
  char     *msrp_relay;
  int       expires;
  gboolean  no_register;
  gboolean  json;
  gboolean  trace;
  gboolean  version;
  char     *db;
  gboolean  no_history;
} HailCliOptions;

typedef struct _HailCliContext HailCliContext;

/* Called on SIGINT or SIGTERM; the command decides how to wind down. */
typedef void (*HailCliStopFunc) (HailCliContext *ctx);

/* What every command shares: the parsed account options, the account,
 * the main loop, the exit status and the shutdown path. */
struct _HailCliContext {
  HailCliOptions   opts;
  HailAccount     *account;
  GMainLoop       *loop;
  GCancellable    *cancellable;
  HailCliStopFunc  on_stop;
  gpointer         command_data;
  int              exit_code;
  gboolean         registered;
  gboolean         stopping;
  gboolean         signalled;
  gboolean         unregistering;
  gboolean         timed_out;
  guint            sigint_id;
  guint            sigterm_id;
  guint            shutdown_id;
  gulong           state_id;
};

void     hail_cli_context_clear            (HailCliContext *ctx);

/* Emits an `error` event. */
void     hail_cli_context_error            (HailCliContext *ctx,
                                            const char     *message);

/* Parses a command's URI argument; NULL after an `error` event when it
 * is not a sip: or sips: URI with a host (the command then exits 2). */
HailSipUri *hail_cli_context_parse_uri     (HailCliContext *ctx,
                                            const char     *arg)
  G_GNUC_WARN_UNUSED_RESULT;

/* Reads the password, makes and starts the account (binding sockets),
 * hooks --trace and the signals. On failure, emits `error`, sets the exit
 * status (1 for the environment, 2 for bad input) and returns FALSE.
 * @bound (optional) gets the sockets bound, HailSipTarget*. */
gboolean hail_cli_context_prepare          (HailCliContext  *ctx,
                                            GPtrArray      **bound);

/* Registers (unless --no-register), emitting `registered` or
 * `registration-failed`, then calls @then (with success or not). */
void     hail_cli_context_register         (HailCliContext  *ctx,
                                            void           (*then) (HailCliContext *ctx,
                                                                    gboolean        ok));

/* Unregisters when registered (bounded by HAIL_CLI_SHUTDOWN_SECONDS),
 * emitting `unregistered`, then quits with @code (1 if unregistering
 * failed and @code was 0). */
void     hail_cli_context_finish           (HailCliContext  *ctx,
                                            int              code);

/* Runs the main loop until a command quits; returns the exit status. */
int      hail_cli_context_run              (HailCliContext  *ctx);

/* The commands. @argc/@argv start at the command name. */
int      hail_cli_register_run             (HailCliContext  *ctx,
                                            int              argc,
                                            char           **argv);
int      hail_cli_options_run              (HailCliContext  *ctx,
                                            int              argc,
                                            char           **argv);
int      hail_cli_listen_run               (HailCliContext  *ctx,
                                            int              argc,
                                            char           **argv);
int      hail_cli_message_run              (HailCliContext  *ctx,
                                            int              argc,
                                            char           **argv);

/* The chat side (hail-cli-message.c) for commands that take messages:
 * opens the history (--db, --no-history) and prints `message-received`;
 * FALSE with an `error` event and the exit status set when the history
 * cannot be opened. _resend_pending sends again what an earlier run left
 * unsent, printing the outcomes with `"resent": true`. */
gboolean hail_cli_chat_attach              (HailCliContext      *ctx);
void     hail_cli_chat_resend_pending      (HailCliContext      *ctx,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void     hail_cli_chat_detach              (HailCliContext      *ctx);
/* Where `listen` keeps the files it takes (`file-received`); without it,
 * files are declined. Before hail_cli_chat_attach(). */
void     hail_cli_chat_set_download_dir    (const char          *dir);
/* Ends a chat's message sessions (BYE) before exit, bounded. */
void     hail_cli_chat_close_sessions      (HailChat            *run_chat);
/* The chat of this run, once attached. */
HailChat *hail_cli_chat_get                (void);
/* The `mode` of message events: "pager" or "session". */
const char *hail_cli_mode_name             (HailStoreMessageMode mode);
/* A file's SHA-256 (hex), read by blocks, and its size (nullable). */
char       *hail_cli_file_sha256           (GFile               *file,
                                            guint64             *size,
                                            GError             **error);

/* `send-file URI FILE` (session mode, RFC 5547). */
int      hail_cli_send_file_run            (HailCliContext  *ctx,
                                            int              argc,
                                            char           **argv);

G_END_DECLS
