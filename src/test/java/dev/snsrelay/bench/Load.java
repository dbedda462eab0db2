package dev.snsrelay.bench;

/** A load generator: sends the events a plan asks for and says what was accepted. */
interface Load {

    LoadResult run(Plan plan) throws InterruptedException;
}
