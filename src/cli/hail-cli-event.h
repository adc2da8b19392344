/* hail-cli-event.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One line of hail-cli output: an event name and its fields, printed either
 * as one JSON object (--json) or as "event key=value ..." for people. */
typedef struct _HailCliEvent HailCliEvent;

HailCliEvent *hail_cli_event_new        (const char   *name) G_GNUC_WARN_UNUSED_RESULT;
void          hail_cli_event_free       (HailCliEvent *self);
void          hail_cli_event_add_string (HailCliEvent *self,
                                         const char   *key,
                                         const char   *value);
void          hail_cli_event_add_int    (HailCliEvent *self,
                                         const char   *key,
                                         gint64        value);
void          hail_cli_event_add_bool   (HailCliEvent *self,
                                         const char   *key,
                                         gboolean      value);
char         *hail_cli_event_to_json    (HailCliEvent *self) G_GNUC_WARN_UNUSED_RESULT;
char         *hail_cli_event_to_text    (HailCliEvent *self) G_GNUC_WARN_UNUSED_RESULT;
void          hail_cli_event_emit       (HailCliEvent *self,
                                         gboolean      json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailCliEvent, hail_cli_event_free)

G_END_DECLS
