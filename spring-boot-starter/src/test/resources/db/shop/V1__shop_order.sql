-- FlywayRecipeTest: the shop's own migration, applied by Spring Boot's Flyway beside the recipe's
CREATE TABLE shop_order (id VARCHAR(100) PRIMARY KEY);
