package io.taskmill.internal;

import io.taskmill.internal.dispatch.ReadyWrites;
import io.taskmill.internal.lease.Release;
import io.taskmill.job.Enqueued;
import io.taskmill.job.Job;
import io.taskmill.job.JobId;
import io.taskmill.job.JobRequest;
import io.taskmill.job.JobState;
import io.taskmill.job.Names;
import io.taskmill.job.Outcome;
import io.taskmill.queue.QueueInfo;
import io.taskmill.schedule.Schedules;
import io.taskmill.spi.InsertedJob;
import io.taskmill.spi.JobCompletion;
import io.taskmill.spi.LeaseRef;
import io.taskmill.spi.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code Taskmill}: wires the dispatcher, workers, completer, lease keeper and
 * membership around one store. The public facade of {@code io.taskmill} stands on it.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final EngineConfig cfg;
  private final Store store;
  private final Registry registry;
  private final Enqueuer enqueuer;
  private final Dispatcher dispatcher;
  private final Completer completer;
  private final Leases leases;
  private final Membership membership;
  private final NodeLocks locks;
  private final boolean manual;

  /** Executions holding a lease, from claim until their outcome is written or released. */
  private final ConcurrentHashMap<JobId, Execution> active = new ConcurrentHashMap<>();

  private final ThreadFactory workers = Thread.ofVirtual().name("taskmill-job-", 0).factory();
  private final List<Thread> manualThreads = new ArrayList<>();
  private final Object exits = new Object();
  private final Scheduler scheduler;
  private final ScheduleService schedules;
  private final JobControl control;
  private final EventFeed feed;
  private ScheduledExecutorService maintenance;

  /** Wake-ups pushed by the store when other processes make jobs ready; none in manual mode. */
  private AutoCloseable subscription;

  private final ScheduledExecutorService timers;
  private volatile boolean closed;

  private Engine(EngineConfig given, boolean manual) {
    this.store = given.store();
    StoreClock storeClock =
        given.clockFollowsStore() ? new StoreClock(store::storeTime, given.clock()) : null;
    this.cfg = storeClock == null ? given : given.withClock(storeClock);
    this.manual = manual;
    this.registry = new Registry(cfg.handlers());
    this.enqueuer = new Enqueuer(cfg, registry);
    this.dispatcher = new Dispatcher(cfg, registry, this::launch);
    this.completer =
        new Completer(store, cfg.completionBatchSize(), this::afterWrite, this::unwritable);
    this.locks = new NodeLocks(cfg);
    this.leases = new Leases(cfg, active, locks, dispatcher::onReady);
    this.membership = new Membership(cfg, leases, dispatcher, storeClock, dispatcher::runningCount);
    this.scheduler = new Scheduler(cfg, membership::term, dispatcher::onReady);
    this.schedules = new ScheduleService(cfg, enqueuer, scheduler::wake, dispatcher::onReady);
    this.control = new JobControl(cfg, store, dispatcher, active);
    this.feed = new EventFeed(FeedSource.of(store));
    // Timeouts are real time even in manual mode: they interrupt real threads.
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("taskmill-timeouts").daemon().factory());
  }

  /** Starts an engine with its background threads. */
  public static Engine start(EngineConfig cfg) {
    var engine = new Engine(cfg, false);
    engine.reconcileSchedules();
    engine.startThreads();
    return engine;
  }

  /**
   * Starts an engine with no background threads: the caller drives it with {@link #runDueJobs()},
   * {@link #runRescuer()} and {@link #renewLeases()} (the testkit's manual engine).
   */
  public static Engine startManual(EngineConfig cfg) {
    var engine = new Engine(cfg, true);
    engine.rescueAtStart();
    engine.reconcileSchedules();
    return engine;
  }

  private void startThreads() {
    rescueAtStart();
    var pool =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("taskmill-leases").daemon().factory());
    // The next heartbeat is a one-shot delayed task; by default shutdown() would still wait for
    // it to come due and run, holding every close up to a heartbeat interval.
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    maintenance = pool;
    // Register and try to lead before claiming, so the node row exists before its first lease.
    beatAndScheduleNext();
    long rescueMs = cfg.rescueInterval().toMillis();
    maintenance.scheduleWithFixedDelay(
        guarded("leader duties", membership::duties), 0, rescueMs, TimeUnit.MILLISECONDS);
    completer.start();
    scheduler.start();
    // Before the dispatcher's first poll, so no job made ready elsewhere falls between the two.
    // Another node made jobs ready: their creation or transition is in the feed too.
    subscription =
        store.jobSubscribe(
            queue -> {
              dispatcher.onReady(queue);
              feed.wake();
            });
    dispatcher.start();
    log.info(
        "Taskmill node {} started on {} with queues {} and {} handler types",
        cfg.nodeId(),
        store.info().description(),
        cfg.queues(),
        registry.types().size());
  }

  /** Saves the schedules declared in code; on failure, closes what the engine opened. */
  private void reconcileSchedules() {
    try {
      schedules.reconcileDeclared();
    } catch (RuntimeException e) {
      timers.shutdownNow();
      if (cfg.ownsStore()) {
        store.close();
      }
      throw e;
    }
  }

  private void rescueAtStart() {
    if (store.info().exclusive()) {
      int n = leases.rescueForeign();
      if (n > 0) {
        log.warn("rescued {} jobs left running by a previous process", n);
      }
    }
  }

  /**
   * Beats, then schedules the next beat: a lease third later, or soon after a failure, so a node
   * that holds its claims through an outage resumes soon after the store is back.
   */
  private void beatAndScheduleNext() {
    boolean ok = false;
    try {
      ok = membership.beat();
    } catch (RuntimeException e) {
      log.warn("heartbeat failed: {}", e.toString());
    }
    Duration next = ok ? Membership.heartbeatInterval(cfg) : Membership.heartbeatRetry(cfg);
    try {
      maintenance.schedule(this::beatAndScheduleNext, next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: that was the last beat
    }
  }

  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", what, e.toString());
      }
    };
  }

  // --- workers ---

  private void launch(Job job) {
    feed.wake();
    HandlerDef def = registry.def(job.type());
    var holder = new Execution[1];
    var exec = new Execution(job, def, cfg, completer, locks, () -> onExit(holder[0]));
    holder[0] = exec;
    active.put(job.id(), exec);
    List<ScheduledFuture<?>> watchdogs = List.of();
    if (job.timeout() != null) {
      long ms = job.timeout().toMillis();
      watchdogs =
          List.of(
              timers.schedule(exec::timeout, ms, TimeUnit.MILLISECONDS),
              timers.schedule(
                  exec::abandonAfterTimeout,
                  ms + cfg.timeoutGrace().toMillis(),
                  TimeUnit.MILLISECONDS));
    }
    exec.watchdogs = watchdogs;
    Thread t = workers.newThread(exec);
    if (manual) {
      synchronized (manualThreads) {
        manualThreads.add(t);
      }
    }
    t.start();
  }

  private void onExit(Execution exec) {
    exec.watchdogs.forEach(f -> f.cancel(false));
    releaseSlotHold(exec);
  }

  /** The outcome of {@code c} is settled: stop tracking its lease and drop its hold on the slot. */
  private void settle(JobCompletion c) {
    Execution e = active.get(c.id());
    if (e != null && e.job().leaseEpoch() == c.leaseEpoch() && active.remove(c.id(), e)) {
      releaseSlotHold(e);
    }
  }

  private void releaseSlotHold(Execution e) {
    if (e.releaseSlotHold()) {
      dispatcher.onSlotFreed(e.job().queue(), e.job().type());
      synchronized (exits) {
        exits.notifyAll();
      }
    }
  }

  private void afterWrite(JobCompletion c, boolean applied) {
    feed.wake();
    settle(c);
    if (!applied) {
      log.warn(
          "outcome of attempt {} of job {} was superseded: this node lost its lease",
          c.attempt(),
          c.id());
    } else if (c.outcome() instanceof Outcome.Retrying r) {
      dispatcher.onScheduled(r.retryAt());
    }
  }

  /** Stop renewing the lease of an outcome the store refused, so the rescuer runs the job again. */
  private void unwritable(JobCompletion c) {
    settle(c);
  }

  // --- enqueue ---

  /** Validates, stores and wakes the dispatcher for the jobs of {@code requests}, in one batch. */
  public List<Enqueued> submitAll(List<JobRequest> requests) {
    checkOpen();
    var jobs = enqueuer.prepare(requests);
    List<InsertedJob> inserted = ReadyWrites.insert(store, jobs, cfg.nodeId());
    var result = new ArrayList<Enqueued>(inserted.size());
    feed.wake();
    for (int i = 0; i < inserted.size(); i++) {
      InsertedJob in = inserted.get(i);
      result.add(new Enqueued(in.id(), in.created()));
      if (!in.created()) {
        continue;
      }
      if (in.state() == JobState.SCHEDULED) {
        dispatcher.onScheduled(in.runAt());
      } else {
        dispatcher.onReady(jobs.get(i).queue());
      }
    }
    return result;
  }

  /** The cluster-wide event feed. */
  public EventFeed events() {
    return feed;
  }

  /** Recurring jobs. */
  public Schedules schedules() {
    return schedules;
  }

  /** The registered handlers. */
  public Registry handlers() {
    return registry;
  }

  /** Whether this node leads now, by its own account of its term. */
  public boolean isLeader() {
    return membership.term().isPresent();
  }

  /** This engine's node id. */
  public String nodeId() {
    return cfg.nodeId();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Taskmill engine is closed; start a new one");
    }
  }

  // --- queues ---

  /**
   * Pauses or resumes claiming from {@code queue} on every node: persisted in the store, and
   * applied here at once.
   */
  public void setPaused(String queue, boolean paused) {
    if (!cfg.queues().containsKey(queue)) {
      throw new IllegalArgumentException(
          "unknown queue '"
              + queue
              + "'; this engine serves "
              + cfg.queues().keySet()
              + (Names.isQueueName(queue) ? "" : " (" + Names.QUEUE_RULE + ")"));
    }
    ReadyWrites.setPaused(store, queue, paused);
    dispatcher.setPaused(queue, paused);
  }

  /** Every configured queue with its settings and current load on this node. */
  public List<QueueInfo> queueLoads() {
    return dispatcher.lanes().values().stream()
        .map(l -> new QueueInfo(l.name, l.concurrency, l.paused, l.running.get()))
        .toList();
  }

  // --- manual control (testkit) ---

  /** Runs every job due now, waiting for each to finish; returns how many attempts ran. */
  public int runDueJobs() {
    int total = 0;
    for (int round = 0; round < 10_000; round++) {
      dispatcher.dispatchOnce();
      List<Thread> started;
      synchronized (manualThreads) {
        started = List.copyOf(manualThreads);
        manualThreads.clear();
      }
      for (Thread t : started) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while running due jobs", e);
        }
      }
      completer.flush();
      if (started.isEmpty()) {
        break;
      }
      total += started.size();
    }
    return total;
  }

  /**
   * Takes or renews leadership, then runs the leader's duties (declaring silent nodes dead,
   * rescuing expired leases, pruning); returns how many jobs were rescued.
   */
  public int runRescuer() {
    membership.tryLead();
    return membership.duties();
  }

  /**
   * Runs one heartbeat: the node row, the clock, lease renewal and leadership; returns whether it
   * reached the store.
   */
  public boolean heartbeat() {
    return membership.beat();
  }

  /**
   * Fires every schedule due now if this node leads (taking the lead if it is free); returns how
   * many jobs the ticks created.
   */
  public int runSchedules() {
    membership.tryLead();
    return membership.term().map(scheduler::fireDue).orElse(0);
  }

  /** Renews the leases this node holds. */
  public void renewLeases() {
    leases.renew();
  }

  // --- shutdown ---

  /**
   * Stops gracefully: stops claiming, waits up to the shutdown grace period for running jobs, then
   * releases the leases of jobs still running so another start picks them up.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      scheduler.stop();
      dispatcher.stop();
      awaitWorkers(cfg.shutdownGrace());
      releaseUnfinished();
      completer.stop(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      releaseUnfinished();
    } finally {
      stopMaintenance();
      membership.leave();
      timers.shutdownNow();
      locks.close();
      feed.close();
      closeSubscription();
      if (cfg.ownsStore()) {
        store.close();
      }
      log.info("Taskmill node {} stopped", cfg.nodeId());
    }
  }

  private void stopMaintenance() {
    if (maintenance == null) {
      return;
    }
    // Not shutdownNow(): an interrupt during H2 file I/O closes the database file under every
    // other user of the store. A heartbeat still running must finish before the node leaves, or
    // it would mark the node alive again.
    maintenance.shutdown();
    try {
      if (!maintenance.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("maintenance (heartbeat, leader duties) did not finish within 10 s of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeSubscription() {
    if (subscription == null) {
      return;
    }
    try {
      subscription.close();
    } catch (Exception e) {
      log.warn("closing the store's wake-up subscription failed", e);
    }
  }

  private void awaitWorkers(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (exits) {
      while (dispatcher.runningCount() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(exits, left);
      }
    }
  }

  /** Gives back the jobs still running after the grace period, so another start runs them. */
  private void releaseUnfinished() {
    var released = new ArrayList<LeaseRef>();
    for (Execution e : active.values()) {
      if (e.isRunning() && e.abandonForShutdown()) {
        released.add(e.lease());
      }
    }
    if (released.isEmpty()) {
      return;
    }
    try {
      int n =
          Release.leases(
              store,
              cfg.nodeId(),
              released,
              cfg.clock().instant(),
              "released at shutdown of node " + cfg.nodeId() + " before the attempt finished");
      log.warn(
          "released {} jobs still running after the {} shutdown grace period",
          n,
          cfg.shutdownGrace());
    } catch (RuntimeException ex) {
      log.error(
          "could not release {} running jobs ({}); they run again once their leases expire",
          released.size(),
          ex.getMessage());
    }
    for (LeaseRef r : released) {
      Execution e = active.remove(r.id());
      if (e != null) {
        releaseSlotHold(e);
      }
    }
  }

  /** The store this engine uses. */
  public Store store() {
    return store;
  }

  /** The instant the engine's clock shows (the store's clock where it follows one). */
  public Instant now() {
    return cfg.clock().instant();
  }

  /** Users' cancel and retry commands. */
  public JobControl control() {
    return control;
  }

  /** How payloads and results are bound to their types. */
  public JsonCodec json() {
    return cfg.json();
  }

  /** Whether this engine runs without background threads, driven by its caller. */
  public boolean isManual() {
    return manual;
  }
}
