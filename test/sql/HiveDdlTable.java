// Reads one Hive CREATE TABLE statement on stdin, parses it with Hive's own parser (hive-exec's ParseDriver, the grammar
// Hive itself runs) and prints what it declares as one JSON object: table, columns with their Hive types, storage handler,
// SERDEPROPERTIES and TBLPROPERTIES. A statement Hive would refuse exits 2 with Hive's own message.
// Run as a single-file program: java -cp '<hive-parser jars>/*' HiveDdlTable.java < table.sql
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.ql.parse.ASTNode;
import org.apache.hadoop.hive.ql.parse.BaseSemanticAnalyzer;
import org.apache.hadoop.hive.ql.parse.HiveParser;
import org.apache.hadoop.hive.ql.parse.ParseDriver;
import org.apache.hadoop.hive.ql.parse.ParseException;

public class HiveDdlTable {
  public static void main(String[] args) throws Exception {
    String sql = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim().replaceAll(";\\s*$", "");
    ASTNode tree;
    try {
      tree = new ParseDriver().parse(sql).getTree();
    } catch (ParseException error) {
      System.err.println("Hive's parser refused the statement: " + error.getMessage());
      System.exit(2);
      return;
    }
    ASTNode create = (ASTNode) tree.getFirstChildWithType(HiveParser.TOK_CREATETABLE);
    if (create == null) {
      System.err.println("not a CREATE TABLE statement: " + tree.toStringTree());
      System.exit(2);
      return;
    }
    StringBuilder json = new StringBuilder("{");
    List<String> columns = new ArrayList<>();
    Map<String, String> serde = new LinkedHashMap<>();
    Map<String, String> table = new LinkedHashMap<>();
    String handler = null;
    String name = null;
    boolean external = false;
    for (int i = 0; i < create.getChildCount(); i++) {
      ASTNode child = (ASTNode) create.getChild(i);
      switch (child.getType()) {
        case HiveParser.TOK_TABNAME -> name = BaseSemanticAnalyzer.getUnescapedName(child);
        case HiveParser.KW_EXTERNAL -> external = true;
        case HiveParser.TOK_TABCOLLIST -> {
          for (int c = 0; c < child.getChildCount(); c++) {
            ASTNode column = (ASTNode) child.getChild(c);
            String columnName = BaseSemanticAnalyzer.unescapeIdentifier(column.getChild(0).getText());
            columns.add("{\"name\":" + quote(columnName) + ",\"type\":" + quote(type((ASTNode) column.getChild(1))) + "}");
          }
        }
        case HiveParser.TOK_STORAGEHANDLER -> {
          handler = BaseSemanticAnalyzer.unescapeSQLString(child.getChild(0).getText());
          if (child.getChildCount() > 1) properties((ASTNode) child.getChild(1), serde);
        }
        case HiveParser.TOK_TABLEPROPERTIES -> properties(child, table);
        default -> { }
      }
    }
    json.append("\"table\":").append(quote(name));
    json.append(",\"external\":").append(external);
    json.append(",\"storageHandler\":").append(handler == null ? "null" : quote(handler));
    json.append(",\"columns\":[").append(String.join(",", columns)).append("]");
    json.append(",\"serdeProperties\":").append(object(serde));
    json.append(",\"tableProperties\":").append(object(table)).append("}");
    System.out.println(json);
  }

  /** TOK_TABLEPROPERTIES → TOK_TABLEPROPLIST → TOK_TABLEPROPERTY(key, value)*. */
  private static void properties(ASTNode node, Map<String, String> into) {
    ASTNode list = (ASTNode) node.getChild(0);
    for (int i = 0; i < list.getChildCount(); i++) {
      ASTNode property = (ASTNode) list.getChild(i);
      into.put(
          BaseSemanticAnalyzer.unescapeSQLString(property.getChild(0).getText()),
          BaseSemanticAnalyzer.unescapeSQLString(property.getChild(1).getText()));
    }
  }

  /** A type node back to Hive's spelling: TOK_BIGINT → BIGINT, TOK_MAP(TOK_STRING, TOK_STRING) → MAP<STRING,STRING>. */
  private static String type(ASTNode node) {
    String token = node.getText().replaceFirst("^TOK_", "");
    List<String> inner = new ArrayList<>();
    for (int i = 0; i < node.getChildCount(); i++) {
      ASTNode child = (ASTNode) node.getChild(i);
      inner.add(child.getType() == HiveParser.Number ? child.getText() : type(child));
    }
    return switch (token) {
      case "MAP" -> "MAP<" + String.join(",", inner) + ">";
      case "LIST" -> "ARRAY<" + String.join(",", inner) + ">";
      default -> inner.isEmpty() ? token : token + "(" + String.join(",", inner) + ")";
    };
  }

  private static String object(Map<String, String> map) {
    List<String> pairs = new ArrayList<>();
    map.forEach((key, value) -> pairs.add(quote(key) + ":" + quote(value)));
    return "{" + String.join(",", pairs) + "}";
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }
}
