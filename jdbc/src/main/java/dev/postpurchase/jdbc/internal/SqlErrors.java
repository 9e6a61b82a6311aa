package dev.postpurchase.jdbc.internal;

import java.sql.SQLException;

/** Classifies SQL failures the same way on every dialect. */
public final class SqlErrors {
    private SqlErrors() {}

    /** A unique or primary key violation: SQLState 23505 (PostgreSQL, H2) or error 1062 (MariaDB/MySQL). */
    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException s : chain(e)) {
            if ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062) {
                return true;
            }
        }
        return false;
    }

    /**
     * A deadlock or serialisation failure: the transaction was rolled back and may simply be tried again (SQLState
     * class 40, MariaDB errors 1205 and 1213, H2 lock timeout 50200).
     */
    public static boolean isTransient(SQLException e) {
        for (SQLException s : chain(e)) {
            String state = s.getSQLState();
            if ((state != null && state.startsWith("40"))
                    || s.getErrorCode() == 1213
                    || s.getErrorCode() == 1205
                    || s.getErrorCode() == 50200) {
                return true;
            }
        }
        return false;
    }

    /** A short description for exception messages: the SQLState and vendor code, never values or credentials. */
    public static String describe(SQLException e) {
        return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode();
    }

    private static Iterable<SQLException> chain(SQLException e) {
        java.util.List<SQLException> all = new java.util.ArrayList<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(e);
        while (!todo.isEmpty() && all.size() < 20) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                all.add(s);
                if (s.getNextException() != null) {
                    todo.add(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return all;
    }
}
