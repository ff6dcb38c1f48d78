/**
 * The py-beach example pipeline as a realm jar: {@code ingest} hands a batch to {@code compute}, which
 * summarises it and hands the summary to {@code writer}. Deployed as realm {@code project1}.
 */
package project1;
