/**
 * The report of a benchmark run: reads JMH's JSON, the Python script's JSON and the idle probe's JSON, and
 * writes a Markdown table of ratios (mmipc ÷ each other transport, same run) beside the absolute numbers,
 * plus one PNG chart per measure drawn with XChart ({@link io.mmipc.bench.report.Report}).
 */
package io.mmipc.bench.report;
