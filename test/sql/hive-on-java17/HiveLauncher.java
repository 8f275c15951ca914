// Starts a Hive 3 main class on Java 17. Hive 3 casts the context class loader to URLClassLoader (SessionState: "class
// jdk.internal.loader.ClassLoaders$AppClassLoader cannot be cast to class java.net.URLClassLoader"), so every jar is
// loaded here by a URLClassLoader set as the context loader, with the compiled Java 9+ fix (SerializationUtilities…
// beside this file, Hive 4's HIVE-22097 in spirit) ahead of hive-exec.
// Run as a single-file program: java HiveLauncher.java <shim classes dir> <conf dir> <jars dir> <main class> [args…]
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class HiveLauncher {
  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(new File(args[0]).toURI().toURL());
    urls.add(new File(args[1]).toURI().toURL());
    File[] jars = new File(args[2]).listFiles((dir, name) -> name.endsWith(".jar"));
    if (jars == null || jars.length == 0) throw new IllegalArgumentException("no jars in " + args[2]);
    Arrays.sort(jars);
    for (File jar : jars) urls.add(jar.toURI().toURL());
    URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    String[] rest = Arrays.copyOfRange(args, 4, args.length);
    try {
      loader.loadClass(args[3]).getMethod("main", String[].class).invoke(null, (Object) rest);
    } catch (java.lang.reflect.InvocationTargetException error) {
      throw (error.getCause() instanceof Exception cause) ? cause : error;
    }
  }
}
