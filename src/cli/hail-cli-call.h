/* hail-cli-call.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-call-manager.h"
#include "hail-cli-context.h"

G_BEGIN_DECLS

/* `hail-cli call URI [--duration S] [--dtmf DIGITS] [--play WAV]
 * [--record WAV] [--codecs LIST]`. */
int      hail_cli_call_run            (HailCliContext  *ctx,
                                       int              argc,
                                       char           **argv);

/* Prints `call-state`, `call-media` and `dtmf-received` for @call until it
 * ends; @on_end (nullable) runs once it is terminated. */
void     hail_cli_call_watch          (HailCliContext  *ctx,
                                       HailCall        *call,
                                       void           (*on_end) (HailCliContext *ctx,
                                                                 HailCall       *call));

/* What `listen` does with incoming calls. */
typedef struct {
  gboolean  auto_answer;
  int       reject;
  char     *play;
  char     *record_dir;
  char     *codecs;
} HailCliAnswerOptions;

typedef struct _HailCliAnswerer HailCliAnswerer;

/* Takes the account's incoming calls: prints them, then answers (with
 * the WAV or silence, recording one WAV per call into the directory),
 * declines or lets them ring. FALSE with an `error` event on bad input. */
HailCliAnswerer *hail_cli_answerer_new  (HailCliContext             *ctx,
                                         const HailCliAnswerOptions *opts,
                                         GError                    **error);
/* Hangs up every call (bounded by HAIL_CLI_SHUTDOWN_SECONDS), then runs
 * @then. */
void             hail_cli_answerer_stop (HailCliAnswerer            *self,
                                         void                      (*then) (HailCliContext *ctx));
void             hail_cli_answerer_free (HailCliAnswerer            *self);

G_END_DECLS
