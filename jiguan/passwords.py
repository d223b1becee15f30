"""Django's password rules, speaking Chinese whatever language is active (a management command,
a service called outside a request, a message missing from Django's own translation)."""

from django.contrib.auth import password_validation


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "密码与%(verbose_name)s过于相似。"

    def get_help_text(self):
        return "密码不能与用户名、姓名等个人信息过于相似。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return "密码太短，至少需要%(min_length)d个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "这个密码太常见，容易被猜到。"

    def get_help_text(self):
        return "密码不能是常见密码。"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全是数字。"

    def get_help_text(self):
        return "密码不能全是数字。"
